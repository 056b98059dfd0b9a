"""Likes and tempo votes: one per dancer and play, tied to the play (never to artist/title strings)."""

from __future__ import annotations

import uuid

import pytest

from pika.db_types import utcnow
from pika.services import accounts, interactions, plays, sessions
from pika.services.errors import Invalid, NotFound


def _setup(db):
    dj = accounts.create_dj(db, email="nova@example.com", display_name_="Nova", slug="nova")
    a = sessions.open_session(db, dj, title="A")
    b = sessions.open_session(db, dj, title="B")

    def add(session, title):
        play_id = str(uuid.uuid4())
        plays.record_plays(db, session, [plays.PlayIn(play_id=play_id, artist="X", title=title, played_at=utcnow())])
        return play_id

    return a, b, add


def test_like_unlike_and_replays_are_idempotent(db):
    a, _, add = _setup(db)
    first = add(a, "Song")
    assert interactions.set_like(db, a, "d1", first, True)
    assert not interactions.set_like(db, a, "d1", first, True)  # an offline like replayed: no change
    db.flush()
    assert interactions.like_counts(db, [first]) == {first: 1}
    assert interactions.set_like(db, a, "d1", first, False)
    db.flush()
    assert interactions.like_counts(db, [first]) == {}


def test_the_same_song_played_twice_is_liked_per_play(db):
    a, _, add = _setup(db)
    early, late = add(a, "Song"), add(a, "Song")
    interactions.set_like(db, a, "d1", early, True)
    db.flush()
    assert interactions.liked_play_ids(db, a.id, "d1") == [early]
    assert interactions.like_counts(db, [early, late]) == {early: 1}


def test_a_play_of_another_session_cannot_be_liked_from_this_one(db):
    a, b, add = _setup(db)
    other = add(b, "Elsewhere")
    with pytest.raises(NotFound):
        interactions.set_like(db, a, "d1", other, True)


def test_tempo_is_for_the_current_play_and_tapping_again_clears(db):
    a, _, add = _setup(db)
    old = add(a, "Old")
    current = add(a, "Current")
    with pytest.raises(Invalid):
        interactions.set_tempo(db, a, "d1", old, "faster")
    interactions.set_tempo(db, a, "d1", current, "faster")
    interactions.set_tempo(db, a, "d2", current, "slower")
    db.flush()
    interactions.set_tempo(db, a, "d2", current, "perfect")  # changing a vote keeps one vote
    db.flush()
    assert interactions.tempo_counts(db, current) == {"faster": 1, "perfect": 1}
    interactions.set_tempo(db, a, "d1", current, None)
    db.flush()
    assert interactions.tempo_counts(db, current) == {"perfect": 1}
    with pytest.raises(Invalid):
        interactions.set_tempo(db, a, "d1", current, "warp")


def test_unknown_dancers_are_refused(db):
    a, _, add = _setup(db)
    play_id = add(a, "Song")
    with pytest.raises(Invalid):
        interactions.set_like(db, a, "", play_id, True)
    with pytest.raises(Invalid):
        interactions.set_like(db, a, "x" * 65, play_id, True)


def test_batched_likes_store_each_new_pair_once_and_defer_every_other_case(db):
    a, b, add = _setup(db)
    song, other, elsewhere = add(a, "Song"), add(a, "Other"), add(b, "Elsewhere")
    stored = interactions.quick_likes(db, a, [("d1", song, True), ("d2", song, True), ("d1", other, True)])
    assert stored == {("d1", song), ("d2", song), ("d1", other)}
    again = interactions.quick_likes(db, a, [
        ("d1", song, True),  # already liked: the careful path decides
        ("d2", other, False),  # an unlike
        ("d4", song, True), ("d4", song, False),  # two taps on one heart: the careful path keeps their order
        ("d3", elsewhere, True),  # not this session's play
        ("d3", "no-such-play", True),
        ("", song, True), ("x" * 65, song, True),  # not a dancer id
        ("d3", song, True),
    ])
    assert again == {("d3", song)}
    db.flush()
    assert interactions.like_counts(db, [song, other, elsewhere]) == {song: 3, other: 1}
    assert sorted(interactions.liked_play_ids(db, a.id, "d1")) == sorted([song, other])


def test_batched_likes_never_pass_a_pin(db):
    dj = accounts.create_dj(db, email="vega@example.com", display_name_="Vega", slug="vega")
    private = sessions.open_session(db, dj, title="Private", pin="4321")
    play_id = str(uuid.uuid4())
    plays.record_plays(db, private, [plays.PlayIn(play_id=play_id, artist="X", title="Y", played_at=utcnow())])
    assert interactions.quick_likes(db, private, [("d1", play_id, True)]) == set()
    assert interactions.like_counts(db, [play_id]) == {}


def test_batched_tempo_votes_store_or_change_votes_on_the_playing_track_only(db):
    a, _, add = _setup(db)
    earlier = add(a, "Earlier")
    now = add(a, "Now")
    assert a.current_play_id == now
    interactions.set_tempo(db, a, "d1", now, "slower")
    db.flush()
    stored = interactions.quick_tempo(db, a, [
        ("d1", now, "faster"),  # changes the vote
        ("d2", now, "perfect"),
        ("d3", earlier, "faster"),  # not the playing track: set_tempo says why
        ("d4", now, None),  # clearing is set_tempo's
        ("d5", now, "warp"),  # no such choice
        ("d6", now, "faster"), ("d6", now, "slower"),  # two taps in one batch: careful path, in order
        ("", now, "faster"),
    ])
    assert stored == {("d1", now), ("d2", now)}
    db.flush()
    assert interactions.tempo_counts(db, now) == {"faster": 1, "perfect": 1}
    assert interactions.my_tempo(db, "d1", now) == "faster"


def test_batched_tempo_votes_stop_when_the_session_ends_or_has_a_pin(db):
    a, _, add = _setup(db)
    now = add(a, "Now")
    sessions.end_session(db, a)
    assert interactions.quick_tempo(db, a, [("d1", now, "faster")]) == set()
    dj = accounts.create_dj(db, email="vega@example.com", display_name_="Vega", slug="vega")
    private = sessions.open_session(db, dj, title="Private", pin="4321")
    private_play = add(private, "Private song")
    assert interactions.quick_tempo(db, private, [("d1", private_play, "faster")]) == set()
    db.flush()
    assert interactions.tempo_counts(db, private_play) == {}
