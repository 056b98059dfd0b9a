"""The room picture every phone gets: now playing in full, history rows with what a row shows."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

from pika.db_types import utcnow
from pika.services import accounts, plays, sessions
from pika.services.rooms import HISTORY_LENGTH, room_snapshot


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
    return room_snapshot(db, session)


def test_now_playing_in_full_history_rows_with_what_the_row_shows(db):
    room = _set(db, 3)
    now = room["now_playing"]
    assert (now["title"], now["version"], now["full_title"], now["key"], now["bpm"]) == (
        "Song 2", "Extended Mix", "Song 2 (Extended Mix)", "8A", "96")
    rows = room["history"]
    assert [r["full_title"] for r in rows] == ["Song 1 (Extended Mix)", "Song 0 (Extended Mix)"]
    # The page's history row shows title, artist, time, BPM and a heart (by play id); nothing else is sent.
    assert all(set(r) == {"play_id", "artist", "full_title", "bpm", "played_at"} for r in rows)
    assert "." not in rows[0]["played_at"]  # whole seconds: the page says "4 minutes ago"


def test_a_mid_set_history_is_thirty_rows_of_under_200_bytes(db):
    room = _set(db, HISTORY_LENGTH + 5)
    assert len(room["history"]) == HISTORY_LENGTH
    # Every play push re-sends the whole history to every phone.
    assert len(json.dumps(room["history"])) / HISTORY_LENGTH < 200
