"""djay Pro (macOS): NowPlaying.txt in the djay Media Library folder.

"Key: value" lines (Title, Artist, Album, Time); "N/A" means missing. djay
rewrites (probably replaces) it on each track change and never deletes it,
so at start-up it still shows the last gig's track. The file's modification
time is the best start time available; the detector uses it to tell a stale
track from a fresh one. Windows djay does not write this file.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from agent.core.files import mtime_utc, read_bytes
from agent.core.paths import KnownFolders
from agent.core.sources.base import SingleFileSource
from agent.core.textio import split_lines
from agent.core.track import DetectedTrack, make_track, parse_duration

FILENAME = "NowPlaying.txt"


def parse_now_playing(data: bytes, *, changed_at: datetime | None = None) -> DetectedTrack | None:
    """The track in a NowPlaying.txt, or None if it names none."""
    values: dict[str, str] = {}
    for line in split_lines(data, complete_only=False):  # rewritten whole, not appended
        key, sep, value = line.partition(":")
        value = value.strip()
        if sep and value and value.upper() != "N/A":
            values.setdefault(key.strip().lower(), value)
    title = values.get("title")
    if not title:
        return None
    return make_track(
        title=title,
        artist=values.get("artist", ""),
        album=values.get("album"),
        duration_s=parse_duration(values.get("time", "")),
        started_at=changed_at,
        source="djay",
    )


class DjaySource(SingleFileSource):
    name = "djay"
    label = "djay Pro (macOS)"

    @classmethod
    def paths_for(cls, folders: KnownFolders) -> list[Path]:
        if not folders.is_mac:
            return []  # Windows djay writes no NowPlaying.txt (unbox #123, #143)
        return [
            folders.music / "djay" / "djay Media Library.djayMediaLibrary",
            folders.music / "djay Pro 2" / "djay Media Library.djayMediaLibrary",
        ]

    def looks_installed(self, path: Path) -> bool:
        return path.is_file() or path.is_dir()

    def file(self) -> Path | None:
        found = self.detect()
        if found is None:
            return None
        return found if found.suffix.lower() == ".txt" else found / FILENAME

    def read_current(self) -> DetectedTrack | None:
        path = self.file()
        data = read_bytes(path) if path else None
        if not data or path is None:
            return None
        return parse_now_playing(data, changed_at=mtime_utc(path))

    def read_history(self, since: datetime) -> list[DetectedTrack]:
        """Only the current track: the history lives in djay's own database."""
        track = self.read_current()
        return [track] if track and track.started_at and track.started_at >= since else []
