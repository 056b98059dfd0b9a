"""Serato DJ 4.x: Library/master.sqlite (history_session + history_entry).

Serato 4 dropped History/Sessions (WNP #1304). A row is written when a track
is LOADED; `played` is set later if the deck became audible, so by default
only played rows count. An open session has end_time NULL, 0 or -1.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from agent.core.paths import KnownFolders
from agent.core.sources.base import DeckOptions, SqliteSource, pick_deck
from agent.core.track import DetectedTrack, from_epoch, make_track

_OPEN_SESSION = """
SELECT id FROM history_session
WHERE end_time IS NULL OR end_time IN (0, -1)
ORDER BY start_time DESC, id DESC LIMIT 1
"""
_ENTRIES = "SELECT * FROM history_entry WHERE session_id = ? ORDER BY start_time, id"
_SINCE = "SELECT * FROM history_entry WHERE start_time >= ? ORDER BY start_time, id"
_CONNECTIONS = "SELECT location_id, database_uri FROM connection"


def row_to_track(row: sqlite3.Row, roots: dict[int, str] | None = None) -> DetectedTrack | None:
    data = dict(zip(row.keys(), tuple(row), strict=True))
    title = data.get("name") or (data.get("file_name") or "").rsplit(".", 1)[0]
    if not title:
        return None
    return make_track(
        title=str(title),
        artist=str(data.get("artist") or ""),
        album=str(data.get("album") or "") or None,
        bpm=data.get("bpm"),
        key=str(data.get("key") or "") or None,
        duration_s=data.get("length_sec"),
        file_path=asset_path(data.get("portable_id"), data.get("location_id"), roots or {}),
        deck=str(data.get("deck") or "") or None,
        started_at=from_epoch(data.get("start_time")),
        source="serato4",
        source_ref=str(data["id"]) if data.get("id") is not None else None,
    )


def asset_path(portable_id: object, location_id: object, roots: dict[int, str]) -> str | None:
    """Absolute path: the folder holding the location's _Serato_ (or /) + portable_id."""
    if not portable_id:
        return None
    portable = str(portable_id)
    if "://" in portable:
        return portable  # streaming://…
    root = roots.get(location_id) if isinstance(location_id, int) else None
    return (root or "/").rstrip("/") + "/" + portable.lstrip("/")


def _roots(rows: Iterable[sqlite3.Row]) -> dict[int, str]:
    roots = {}
    for location_id, uri in rows:
        text = str(uri or "")
        cut = text.find("/_Serato_/")
        roots[location_id] = text[:cut] if cut > 0 else "/"
    return roots


class Serato4Source(DeckOptions, SqliteSource):
    name = "serato4"
    label = "Serato DJ 4"
    db_filename = "master.sqlite"

    @classmethod
    def paths_for(cls, folders: KnownFolders) -> list[Path]:
        if folders.is_mac:
            return [folders.app_support / "Serato" / "Library", folders.music / "Serato" / "Library"]
        if folders.is_windows:
            return [p / "Serato" / "Library" for p in (folders.appdata, folders.local_appdata) if p]
        return []

    def _path_roots(self) -> dict[int, str]:
        db = self.db()
        if db is None or "connection" not in db.tables():
            return {}
        return _roots(db.query(_CONNECTIONS))

    def read_current(self) -> DetectedTrack | None:
        db = self.db()
        if db is None:
            return None
        session = db.query(_OPEN_SESSION)
        if not session:
            return None
        roots = self._path_roots()
        per_deck: dict[str, DetectedTrack] = {}
        for row in db.query(_ENTRIES, (session[0][0],)):
            if self.require_played and not _played(row):
                continue
            track = row_to_track(row, roots)
            if track is not None and track.deck is not None:
                per_deck[track.deck] = track  # rows come oldest first: last one per deck wins
        return pick_deck(per_deck.values(), self.mix_mode, self.skip_decks)

    def read_history(self, since: datetime) -> list[DetectedTrack]:
        db = self.db()
        if db is None:
            return []
        roots = self._path_roots()
        tracks = (
            row_to_track(row, roots)
            for row in db.query(_SINCE, (int(since.timestamp()),))
            if _played(row) or not self.require_played
        )
        return [t for t in tracks if t is not None]


def _played(row: sqlite3.Row) -> bool:
    try:
        return bool(row["played"])
    except (IndexError, KeyError):
        return True
