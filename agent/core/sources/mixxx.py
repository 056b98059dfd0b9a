"""Mixxx 2.3–2.5: the set log (History) in mixxxdb.sqlite.

Only playlists with hidden = 2 are the set log; hidden = 1 is Auto DJ and 0 a
normal playlist (a track dragged into a crate must not look like a play).
Mixxx logs a track once it becomes the audible deck, stamping
pl_datetime_added with CURRENT_TIMESTAMP (UTC text). Mixxx does NOT log a
track again while it is among the last few (default 6) history entries.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from agent.core.paths import KnownFolders
from agent.core.sources.base import SqliteSource
from agent.core.track import DetectedTrack, make_track

_SET_LOG = """
SELECT pt.id AS row_id, l.artist, l.title, l.album, l.bpm, l.key, l.duration,
       tl.location, pt.pl_datetime_added AS added
FROM PlaylistTracks pt
JOIN Playlists p ON p.id = pt.playlist_id AND p.hidden = 2
JOIN library l ON l.id = pt.track_id
LEFT JOIN track_locations tl ON tl.id = l.location
"""
_CURRENT = _SET_LOG + " ORDER BY pt.pl_datetime_added DESC, pt.id DESC LIMIT 1"
_SINCE = _SET_LOG + " WHERE pt.pl_datetime_added >= ? ORDER BY pt.pl_datetime_added, pt.id"


def parse_mixxx_time(value: object) -> datetime | None:
    """'YYYY-MM-DD HH:MM:SS' (UTC, from CURRENT_TIMESTAMP) → aware datetime."""
    if not value:
        return None
    text = str(value).strip().replace("T", " ").removesuffix("Z")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def row_to_track(row: sqlite3.Row) -> DetectedTrack | None:
    title = row["title"] or ""
    if not title and row["location"]:
        title = Path(str(row["location"])).stem
    if not title:
        return None
    return make_track(
        title=str(title),
        artist=str(row["artist"] or ""),
        album=str(row["album"] or "") or None,
        bpm=row["bpm"],
        key=str(row["key"] or "") or None,
        duration_s=row["duration"],
        file_path=row["location"],
        started_at=parse_mixxx_time(row["added"]),
        source="mixxx",
        source_ref=str(row["row_id"]),
    )


class MixxxSource(SqliteSource):
    name = "mixxx"
    label = "Mixxx"
    db_filename = "mixxxdb.sqlite"

    @classmethod
    def paths_for(cls, folders: KnownFolders) -> list[Path]:
        if folders.is_windows:
            return [folders.local_appdata / "Mixxx"] if folders.local_appdata else []
        if folders.is_mac:
            sandboxed = folders.home / "Library/Containers/org.mixxx.mixxx/Data/Library/Application Support/Mixxx"
            return [sandboxed, folders.app_support / "Mixxx"]
        paths = [folders.home / ".mixxx"]
        if folders.xdg_data:  # a newer Mixxx may move here (unverified)
            paths.append(folders.xdg_data / "mixxx")
        return paths

    def read_current(self) -> DetectedTrack | None:
        db = self.db()
        rows = db.query(_CURRENT) if db else []
        return row_to_track(rows[0]) if rows else None

    def read_history(self, since: datetime) -> list[DetectedTrack]:
        db = self.db()
        if db is None:
            return []
        stamp = since.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
        tracks = (row_to_track(row) for row in db.query(_SINCE, (stamp,)))
        return [t for t in tracks if t is not None]
