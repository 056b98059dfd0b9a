"""Plays waiting for the server, on disk (SQLite), so nothing is lost to Wi-Fi drops or restarts.

Each play keeps its own id and real start time; the sender replays them oldest first. A play
the server refuses for good is kept with the reason (shown to the DJ), never silently dropped.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

# The server's bounds (pika/api/schemas.py), applied before queueing so one odd tag from the
# DJ software can never block the queue with a request the server must refuse.
LIMITS = {"artist": 200, "title": 300, "version": 200, "key": 32, "source": 32}
_SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    play_id TEXT PRIMARY KEY,
    session_id TEXT NOT NULL,
    body TEXT NOT NULL,
    played_at TEXT NOT NULL,
    queued_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    state TEXT NOT NULL DEFAULT 'pending',   -- pending | sent | rejected
    detail TEXT
);
CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (session_id, state, played_at);
"""


def fit_to_server(body: dict) -> dict:
    """Trim text fields to the server's bounds; an empty artist or title gets a placeholder."""
    out = dict(body)
    for name, limit in LIMITS.items():
        if isinstance(out.get(name), str):
            out[name] = out[name].strip()[:limit] or None
    out["artist"] = out.get("artist") or "Unknown artist"
    out["title"] = out.get("title") or "Unknown title"
    out["source"] = out.get("source") or ""
    return out


@dataclass(frozen=True)
class Queued:
    play_id: str
    session_id: str
    body: dict
    attempts: int
    state: str
    detail: str | None


class Outbox:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(_SCHEMA)

    def add(self, session_id: str, body: dict) -> bool:
        """Queue a play; False when this play id is already queued (idempotent, like the server)."""
        body = fit_to_server(body)
        with self._lock:
            cursor = self._db.execute(
                "INSERT OR IGNORE INTO outbox (play_id, session_id, body, played_at, queued_at) VALUES (?, ?, ?, ?, ?)",
                (body["play_id"], session_id, json.dumps(body), body["played_at"], datetime.now(UTC).isoformat()),
            )
            return cursor.rowcount == 1

    def pending(self, session_id: str, limit: int = 100) -> list[Queued]:
        with self._lock:
            rows = self._db.execute(
                "SELECT play_id, session_id, body, attempts, state, detail FROM outbox "
                "WHERE session_id = ? AND state = 'pending' ORDER BY played_at, play_id LIMIT ?",
                (session_id, limit),
            ).fetchall()
        return [Queued(r[0], r[1], json.loads(r[2]), r[3], r[4], r[5]) for r in rows]

    def find_play(self, session_id: str, body: dict) -> str | None:
        """The play id already queued or sent for this track started at this time, if any.

        After an agent restart the detector sees the last track again and gives it a new
        play id; this is how the UI avoids sending the same real play twice.
        """
        fitted = fit_to_server(body)
        with self._lock:
            rows = self._db.execute(
                "SELECT play_id, body FROM outbox WHERE session_id = ? AND played_at = ?",
                (session_id, fitted["played_at"]),
            ).fetchall()
        for play_id, raw in rows:
            queued = json.loads(raw)
            if (queued["artist"], queued["title"]) == (fitted["artist"], fitted["title"]):
                return play_id
        return None

    def count(self, session_id: str, state: str = "pending") -> int:
        with self._lock:
            return self._db.execute(
                "SELECT COUNT(*) FROM outbox WHERE session_id = ? AND state = ?", (session_id, state)
            ).fetchone()[0]

    def mark_sent(self, play_ids: list[str]) -> None:
        self._set_state(play_ids, "sent", None)

    def mark_rejected(self, play_id: str, detail: str) -> None:
        self._set_state([play_id], "rejected", detail)

    def note_attempt(self, play_ids: list[str]) -> None:
        with self._lock:
            self._db.executemany("UPDATE outbox SET attempts = attempts + 1 WHERE play_id = ?", [(p,) for p in play_ids])

    def rejected(self, session_id: str) -> list[Queued]:
        with self._lock:
            rows = self._db.execute(
                "SELECT play_id, session_id, body, attempts, state, detail FROM outbox "
                "WHERE session_id = ? AND state = 'rejected' ORDER BY played_at", (session_id,)
            ).fetchall()
        return [Queued(r[0], r[1], json.loads(r[2]), r[3], r[4], r[5]) for r in rows]

    def _set_state(self, play_ids: list[str], state: str, detail: str | None) -> None:
        with self._lock:
            self._db.executemany(
                "UPDATE outbox SET state = ?, detail = ? WHERE play_id = ?", [(state, detail, p) for p in play_ids]
            )

    def close(self) -> None:
        with self._lock:
            self._db.close()
