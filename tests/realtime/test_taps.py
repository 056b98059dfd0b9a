"""Taps of one moment share a write (a storm is a few statements, not 2,000), and each still gets its own answer."""

from __future__ import annotations

import asyncio
import threading
import uuid

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import func, select

from pika.db import session_scope
from pika.domain.limits import LIKES
from pika.domain.polls import make_poll
from pika.models import Like, PollVote, Reaction, TempoVote
from pika.realtime import floor, taps
from pika.services import accounts, polls, sessions
from tests.realtime.test_join import add_play


@pytest.fixture
def session_id(engine) -> str:
    with session_scope(engine) as db:
        dj = accounts.create_dj(db, email="nova@example.com", display_name_="Nova", slug="nova")
        return sessions.open_session(db, dj, title="Friday").id


@pytest.fixture
def writes(monkeypatch) -> list[int]:
    """The size of each batch handed to the database thread."""
    sizes: list[int] = []
    real = taps._write

    def counting(batch):
        sizes.append(len(batch))
        return real(batch)

    monkeypatch.setattr(taps, "_write", counting)
    return sizes


def like_count(engine, play_id: str) -> int:
    with session_scope(engine) as db:
        return db.exec(select(func.count()).select_from(Like).where(Like.play_id == play_id)).one()


async def test_a_storm_of_likes_is_stored_in_a_few_writes_and_every_dancer_hears_back(
        bound_hub, engine, session_id, writes):
    play_id = add_play(engine, session_id, "Everyone's favourite")["now_playing"]["play_id"]
    dancers = [uuid.uuid4().hex for _ in range(300)]
    answers = await asyncio.gather(*(floor.like(session_id, d, play_id, True) for d in dancers))
    assert answers == [None] * 300
    assert like_count(engine, play_id) == 300
    assert sum(writes) == 300 and len(writes) <= 3  # the first alone, then the rest together
    assert await bound_hub.store.pop_dirty() == {session_id}


async def test_each_tap_of_a_batch_gets_its_own_answer_and_the_others_are_stored(bound_hub, engine, session_id, writes):
    play_id = add_play(engine, session_id, "Current")["now_playing"]["play_id"]
    with session_scope(engine) as db:
        dj = accounts.create_dj(db, email="vega@example.com", display_name_="Vega", slug="vega")
        elsewhere = sessions.open_session(db, dj, title="Elsewhere").id
    other_play = add_play(engine, elsewhere, "Not here")["now_playing"]["play_id"]
    busy = uuid.uuid4().hex
    for _ in range(LIKES.count):  # this dancer used up the minute's likes
        await bound_hub.store.limiter.hit(LIKES, busy)

    answers = await asyncio.gather(
        floor.like(session_id, "fine-1", play_id, True),
        floor.like(session_id, "lost", other_play, True),  # another session's track
        floor.like(session_id, busy, play_id, True),
        floor.like(session_id, "", play_id, True),  # no dancer id
        floor.like(session_id, "fine-2", play_id, True),
    )
    assert answers[0] is None and answers[4] is None
    assert answers[1] == "This track is not part of this session."
    assert answers[2].startswith("Easy there — 10 per minute.")
    assert answers[3] == "Unknown dancer."
    assert like_count(engine, play_id) == 2 and like_count(engine, other_play) == 0
    assert len(writes) <= 2  # they waited together


async def test_a_like_then_an_unlike_in_one_batch_leaves_the_heart_empty(bound_hub, engine, session_id):
    play_id = add_play(engine, session_id, "Current")["now_playing"]["play_id"]
    # Two tabs of one dancer: the like's plain insert runs first, the unlike's careful path after.
    answers = await asyncio.gather(floor.like(session_id, "two-tabs", play_id, True),
                                   floor.like(session_id, "two-tabs", play_id, False))
    assert answers == [None, None]
    assert like_count(engine, play_id) == 0


async def test_a_tap_that_breaks_raises_in_its_own_handler_only(bound_hub, engine, session_id):
    play_id = add_play(engine, session_id, "Current")["now_playing"]["play_id"]

    def broken(_db, _session):
        raise RuntimeError("disk on fire")

    results = await asyncio.gather(floor._act(session_id, "unlucky", None, broken),
                                   floor.like(session_id, "lucky", play_id, True), return_exceptions=True)
    assert isinstance(results[0], RuntimeError) and results[1] is None
    assert like_count(engine, play_id) == 1


async def test_tempo_votes_of_a_moment_share_a_transaction_and_a_breaking_tap_rolls_back_alone(
        bound_hub, engine, session_id, monkeypatch, writes):
    play_id = add_play(engine, session_id, "Current")["now_playing"]["play_id"]
    transactions: list[int] = []
    real_scope = taps.session_scope

    def counting_scope(*args, **kwargs):
        transactions.append(1)
        return real_scope(*args, **kwargs)

    monkeypatch.setattr(taps, "session_scope", counting_scope)

    def breaks_a_constraint(db, session):  # passes every check, then the database refuses the row
        db.add(TempoVote(play_id="no-such-play", session_id=session.id, dancer_id="x", choice="faster"))

    dancers = [f"dancer-{n}" for n in range(20)]
    results = await asyncio.gather(
        *(floor.tempo(session_id, d, play_id, "faster") for d in dancers[:10]),
        floor._act(session_id, "unlucky", None, breaks_a_constraint),
        *(floor.tempo(session_id, d, play_id, "slower") for d in dancers[10:]),
        floor.tempo(session_id, "late", "not-the-current-play", "faster"),
        return_exceptions=True)
    assert results[:10] == [None] * 10 and results[11:21] == [None] * 10
    assert isinstance(results[10], IntegrityError)
    assert results[21] == "Tempo votes are for the track that is playing now."
    with session_scope(engine) as db:
        stored = dict(db.exec(select(TempoVote.dancer_id, TempoVote.choice).where(TempoVote.play_id == play_id)).all())
    assert stored == {d: "faster" for d in dancers[:10]} | {d: "slower" for d in dancers[10:]}
    # Per batch, one for the tempo votes' statement and one for the taps that need care: not one per tap.
    assert len(transactions) <= 2 * len(writes) and len(writes) <= 2


async def test_a_write_committed_elsewhere_mid_batch_does_not_fail_the_batch(bound_hub, engine, session_id):
    # SQLite: a transaction that read before another connection committed could not write after it
    # ("database is locked" at once, whatever the busy timeout). The API writes plays while taps land.
    def api_writes():
        with session_scope(engine) as other:
            other.add(Reaction(session_id=session_id, dancer_id="the-api"))

    def reads_then_writes(db, session):
        db.exec(select(Reaction)).all()
        elsewhere = threading.Thread(target=api_writes)
        elsewhere.start()
        elsewhere.join(0.5)  # a writer that must wait for us may wait; one that may go, goes now
        db.add(Reaction(session_id=session.id, dancer_id="the-tap"))
        return elsewhere

    threads = []
    answer = await floor._act(session_id, "the-tap", None, lambda db, s: threads.append(reads_then_writes(db, s)))
    await asyncio.to_thread(threads[0].join, 10)
    assert answer is None
    with session_scope(engine) as db:
        assert sorted(db.exec(select(Reaction.dancer_id)).all()) == ["the-api", "the-tap"]


def open_poll(engine, session_id: str, *options: str) -> int:
    with session_scope(engine) as db:
        return polls.open_poll(db, sessions.get_session(db, session_id), make_poll("Next?", list(options), None)).id


def votes(engine, poll_id: int) -> dict[str, int]:
    with session_scope(engine) as db:
        return dict(db.exec(select(PollVote.dancer_id, PollVote.option).where(PollVote.poll_id == poll_id)).all())


async def test_likes_tempo_and_poll_votes_of_a_moment_are_stored_and_each_refusal_says_why(
        bound_hub, engine, session_id, writes):
    first = add_play(engine, session_id, "First")["now_playing"]["play_id"]
    play_id = add_play(engine, session_id, "Current")["now_playing"]["play_id"]
    poll_id = open_poll(engine, session_id, "Blues", "Pop")
    assert await floor.vote(session_id, "early", poll_id, 0) is None
    crowd = [f"dancer-{n}" for n in range(30)]

    answers = await asyncio.gather(
        *(floor.like(session_id, d, play_id, True) for d in crowd[:10]),
        *(floor.tempo(session_id, d, play_id, "faster") for d in crowd[10:20]),
        *(floor.vote(session_id, d, poll_id, 1) for d in crowd[20:]),
        floor.vote(session_id, "early", poll_id, 1),  # voted already
        floor.vote(session_id, "twice", poll_id, 0), floor.vote(session_id, "twice", poll_id, 1),  # two tabs
        floor.vote(session_id, "typo", poll_id, 7),
        floor.tempo(session_id, "late", first, "slower"),  # the track before
        floor.tempo(session_id, "undecided", play_id, "slower"), floor.tempo(session_id, "undecided", play_id, None),
    )
    assert answers[:30] == [None] * 30
    assert answers[30:] == ["You have already voted in this poll.", None, "You have already voted in this poll.",
                            "No such option.", "Tempo votes are for the track that is playing now.", None, None]
    assert like_count(engine, play_id) == 10
    with session_scope(engine) as db:
        tempo = dict(db.exec(select(TempoVote.dancer_id, TempoVote.choice).where(TempoVote.play_id == play_id)).all())
    assert tempo == {d: "faster" for d in crowd[10:20]}  # "undecided" cleared the vote it had just cast
    assert votes(engine, poll_id) == {"early": 0, "twice": 0} | {d: 1 for d in crowd[20:]}
    assert len(writes) <= 3  # the first vote, then the next tap alone, then the rest together
    assert await bound_hub.store.pop_dirty() == {session_id}


async def test_a_pin_guarded_session_refuses_batched_taps_until_the_pin_is_entered(bound_hub, engine):
    with session_scope(engine) as db:
        dj = accounts.create_dj(db, email="vega@example.com", display_name_="Vega", slug="vega")
        private = sessions.open_session(db, dj, title="Private", pin="4321").id
    play_id = add_play(engine, private, "Secret song")["now_playing"]["play_id"]
    poll_id = open_poll(engine, private, "Yes", "No")
    refused = "Enter the session's PIN first."
    assert await asyncio.gather(floor.like(private, "guest", play_id, True), floor.tempo(private, "guest", play_id, "faster"),
                                floor.vote(private, "guest", poll_id, 0)) == [refused] * 3
    assert await floor.unlock(private, "guest", "4321") is None
    assert await asyncio.gather(floor.like(private, "guest", play_id, True), floor.tempo(private, "guest", play_id, "faster"),
                                floor.vote(private, "guest", poll_id, 0)) == [None] * 3
    assert like_count(engine, play_id) == 1 and votes(engine, poll_id) == {"guest": 0}
