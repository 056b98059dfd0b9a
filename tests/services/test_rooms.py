"""The room picture every phone gets: now playing in full, history rows with what a row shows, in blocks."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

from pika.db_types import utcnow
from pika.domain import history
from pika.services import accounts, interactions, plays, sessions
from pika.services.rooms import room_snapshot
from tests.support.rooms import shown_history


def _set(db, count: int):
    dj = accounts.create_dj(db, email="nova@example.com", display_name_="Nova", slug="nova")
    session = sessions.open_session(db, dj, title="Friday Social")
    start = utcnow() - timedelta(hours=3)
    plays.record_plays(db, session, [
        plays.PlayIn(play_id=str(uuid.uuid4()), artist=f"Artist {k}", title=f"Song {k}", version="Extended Mix",
                     bpm=96.4, key="8A", played_at=start + timedelta(minutes=4 * k))
        for k in range(count)
    ])
    db.flush()
    return room_snapshot(db, session), session


def test_now_playing_in_full_history_rows_with_what_the_row_shows(db):
    room, _ = _set(db, 3)
    now = room["now_playing"]
    assert (now["title"], now["version"], now["full_title"], now["key"], now["bpm"]) == (
        "Song 2", "Extended Mix", "Song 2 (Extended Mix)", "8A", "96")
    rows = shown_history(room)
    assert [r["full_title"] for r in rows] == ["Song 1 (Extended Mix)", "Song 0 (Extended Mix)"]
    # The page's history row shows title, artist, time, BPM and a heart (by play id); nothing else is sent.
    assert all(set(r) == {"play_id", "artist", "full_title", "bpm", "played_at"} for r in rows)
    assert "." not in rows[0]["played_at"]  # whole seconds: the page says "4 minutes ago"


def test_a_mid_set_history_shows_the_last_thirty_plays_and_more_in_rows_under_200_bytes(db):
    plays_so_far = 45
    room, _ = _set(db, plays_so_far)
    rows = shown_history(room)
    # Newest first, never the current play, at least the last 30 plays (the ring's blocks are whole).
    expected = [f"Song {k} (Extended Mix)" for k in reversed(range(plays_so_far - 1))]
    assert [r["full_title"] for r in rows] == expected[: len(rows)]
    assert 30 <= len(rows) <= history.MOST_SHOWN
    # Rows go to every phone: they stay small.
    assert len(json.dumps(rows)) / len(rows) < 200


def test_likes_are_counted_in_the_block_that_shows_their_play(db):
    room, session = _set(db, 20)
    now_id = room["now_playing"]["play_id"]
    recent_id = room["history_recent"][0]["play_id"]
    older_id = room[f"history_{room['history_head']}"][-1]["play_id"]
    for dancer in ("d1", "d2"):
        interactions.set_like(db, session, dancer, now_id, True)
    interactions.set_like(db, session, "d1", recent_id, True)
    interactions.set_like(db, session, "d3", older_id, True)
    db.flush()
    room = room_snapshot(db, session)
    assert room["likes_now"] == {now_id: 2}
    assert room["likes_recent"] == {recent_id: 1}
    assert room[f"likes_{room['history_head']}"] == {older_id: 1}
    other_blocks = [key for key in history.KEYS if key not in {history.RECENT, str(room["history_head"])}]
    assert all(room[f"likes_{key}"] == {} for key in other_blocks)
