"""VirtualDJ: History/*.m3u (#EXTVDJ) + database.xml enrichment.

History is written ~45 s after a track starts (VirtualDJ's historyDelay), one
file per day named YYYY-MM-DD.m3u; after midnight VirtualDJ may keep
appending to the session's file or start a new one. The current play is the
entry with the newest lastplaytime across the newest-named and the
newest-modified file, never "the file that just fired an event" (VirtualDJ can
touch old files, WNP #362).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path

from agent.core.files import file_signature, is_settled, list_files, mtime, read_bytes
from agent.core.paths import KnownFolders
from agent.core.sources.base import FileSource
from agent.core.sources.m3u import PLAYLIST_SUFFIXES, parse_m3u
from agent.core.sources.vdj_database import VdjDatabase, parse_vdj_database
from agent.core.track import DetectedTrack

_DATE_IN_NAME = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def date_in_name(path: Path) -> date | None:
    match = _DATE_IN_NAME.search(path.stem)
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def vdj_default_homes(folders: KnownFolders) -> list[Path]:
    """VirtualDJ home folders, most likely first (there is no Linux build)."""
    if folders.is_windows:
        homes = [folders.documents / "VirtualDJ"]
        if folders.local_appdata:
            homes.append(folders.local_appdata / "VirtualDJ")
        return homes
    if folders.is_mac:
        return [folders.documents / "VirtualDJ", folders.app_support / "VirtualDJ"]
    return []


def newest_entry(tracks: list[DetectedTrack]) -> DetectedTrack | None:
    """Newest by start time; given most-likely-current first, ties keep the earlier."""
    best: DetectedTrack | None = None
    for track in tracks:
        if best is None or (
            track.started_at is not None and (best.started_at is None or track.started_at > best.started_at)
        ):
            best = track
    return best


class VirtualDJSource(FileSource):
    name = "virtualdj"
    label = "VirtualDJ"

    def __init__(self, path=None, *, folders=None, tz: tzinfo | None = None) -> None:
        super().__init__(path, folders=folders)
        self._tz = tz  # zone of <time> wall clock (None = this machine's)
        self._db_cache: tuple[object, VdjDatabase] | None = None

    @classmethod
    def paths_for(cls, folders: KnownFolders) -> list[Path]:
        return vdj_default_homes(folders)

    def looks_installed(self, path: Path) -> bool:
        if path.name.lower() == "history":
            return path.is_dir()
        return (path / "History").is_dir() or (path / "database.xml").is_file()

    def home(self) -> Path | None:
        found = self.detect()
        if found is not None and found.name.lower() == "history":
            return found.parent
        return found

    def history_dir(self) -> Path | None:
        home = self.home()
        return home / "History" if home else None

    def watch_paths(self) -> list[Path]:
        history = self.history_dir()
        return [history] if history else []

    def tracked_files(self) -> list[Path]:
        return list_files(self.history_dir(), PLAYLIST_SUFFIXES)

    def current_files(self) -> list[Path]:
        """The two newest-named history files and the newest-modified one.

        Two by name so a just-created, still empty day file doesn't hide the
        previous day's last entry.
        """
        files = self.tracked_files()
        if not files:
            return []
        by_name = sorted(files, key=lambda p: (date_in_name(p) or date.min, mtime(p)), reverse=True)[:2]
        by_mtime = max(files, key=mtime)
        return by_name + ([by_mtime] if by_mtime not in by_name else [])

    def _parse(self, path: Path) -> list[DetectedTrack]:
        data = read_bytes(path)
        if not data:
            return []
        return parse_m3u(
            data,
            source=self.name,
            ref_prefix=path.name,
            base_dir=str(path.parent),
            complete_only=not is_settled(path),
            file_date=date_in_name(path),
            tz=self._tz,
        )

    def read_current(self) -> DetectedTrack | None:
        candidates = []
        for path in self.current_files():
            tracks = self._parse(path)
            if tracks:
                candidates.append(tracks[-1])
        return self._enrich(newest_entry(candidates))

    def read_history(self, since: datetime) -> list[DetectedTrack]:
        day_before = (since - timedelta(days=1)).date()
        cutoff = since.timestamp()
        seen: set[str | None] = set()
        out: list[DetectedTrack] = []
        for path in self.tracked_files():
            named = date_in_name(path)
            if not ((named and named >= day_before) or mtime(path) >= cutoff):
                continue
            for track in self._parse(path):
                if track.started_at is None or track.started_at < since or track.source_ref in seen:
                    continue
                seen.add(track.source_ref)
                out.append(self._enrich(track))
        out.sort(key=lambda t: t.started_at)
        return out

    def database(self) -> VdjDatabase:
        home = self.home()
        path = home / "database.xml" if home else None
        signature = (path, file_signature(path))
        if self._db_cache is None or self._db_cache[0] != signature:
            data = read_bytes(path) if path else None
            self._db_cache = (signature, parse_vdj_database(data) if data else VdjDatabase())
        return self._db_cache[1]

    def _enrich(self, track: DetectedTrack | None) -> DetectedTrack | None:
        if track is None:
            return None
        hit = self.database().lookup(track)
        if hit is None:
            return track
        # The history line's artist/title win; the library fills the gaps.
        return track.with_missing(replace(hit, artist=track.artist or hit.artist))
