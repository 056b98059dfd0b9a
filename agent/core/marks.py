"""The DJ's own marks on tracks (peak / brick) and notes, kept on this laptop only.

A set is reviewed afterwards by the DJ, not shown to dancers, so these never go to the
server. One SQLite file in the data folder; every mark names the play and the track so
it still reads well when the session is long gone.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

KINDS = ("peak", "brick", "note")
NOTE_MAX = 500
_SCHEMA = """
CREATE TABLE IF NOT EXISTS marks (
    id INTEGER PRIMARY KEY,
    session_id TEXT NOT NULL,
    play_id TEXT NOT NULL,
    artist TEXT NOT NULL,
    title TEXT NOT NULL,
    kind TEXT NOT NULL,          -- peak | brick | note
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS marks_by_play ON marks (session_id, play_id);
"""


@dataclass(frozen=True)
class Mark:
    session_id: str
    play_id: str
    artist: str
    title: str
    kind: str
    note: str
    created_at: datetime


class Marks:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.executescript(_SCHEMA)

    def add(self, session_id: str, play_id: str, artist: str, title: str, kind: str, note: str = "") -> Mark:
        if kind not in KINDS:
            raise ValueError(f"a mark is one of {', '.join(KINDS)}")
        note = note.strip()[:NOTE_MAX]
        if kind == "note" and not note:
            raise ValueError("an empty note is not saved")
        mark = Mark(session_id, play_id, artist, title, kind, note, datetime.now(UTC))
        with self._lock:
            self._db.execute(
                "INSERT INTO marks (session_id, play_id, artist, title, kind, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (session_id, play_id, artist, title, kind, note, mark.created_at.isoformat()),
            )
        return mark

    def for_play(self, session_id: str, play_id: str) -> list[Mark]:
        return self._select("WHERE session_id = ? AND play_id = ?", (session_id, play_id))

    def for_session(self, session_id: str) -> list[Mark]:
        return self._select("WHERE session_id = ?", (session_id,))

    def _select(self, where: str, args: tuple) -> list[Mark]:
        with self._lock:
            rows = self._db.execute(
                f"SELECT session_id, play_id, artist, title, kind, note, created_at FROM marks {where} ORDER BY id", args
            ).fetchall()
        return [Mark(*row[:6], datetime.fromisoformat(row[6])) for row in rows]

    def close(self) -> None:
        with self._lock:
            self._db.close()
