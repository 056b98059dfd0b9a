"""Traktor Pro 3/4: History/history_YYYYyMMmDDd_HHhMMmSSs.nml.

Whether Traktor rewrites the history file DURING a session is unverified
(WNP and unbox avoid it): treat this source as good for importing a set, and
only hopeful for live detection.

STARTDATE packs (year << 16) | (month << 8) | day; STARTTIME is seconds after
local midnight; PLAYEDPUBLIC = 0 marks preview/cue plays.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path

from agent.core.files import list_files, mtime, read_bytes
from agent.core.paths import KnownFolders
from agent.core.sources.base import FileSource
from agent.core.track import DetectedTrack, make_track


def traktor_start(startdate: str | None, starttime: str | None, tz: tzinfo | None = None) -> datetime | None:
    """Packed STARTDATE + seconds-after-local-midnight STARTTIME → aware datetime."""
    try:
        packed, seconds = int(startdate or ""), float(starttime or "")
        day = date(packed >> 16, (packed >> 8) & 0xFF, packed & 0xFF)
        naive = datetime.combine(day, datetime.min.time()) + timedelta(seconds=seconds)
        return naive.replace(tzinfo=tz) if tz else naive.astimezone()
    except (ValueError, OverflowError, OSError):
        return None


def location_key(location: ET.Element) -> str:
    """The PRIMARYKEY form of a LOCATION: VOLUME + DIR + FILE."""
    return f"{location.get('VOLUME', '')}{location.get('DIR', '')}{location.get('FILE', '')}"


def key_to_path(key: str) -> str:
    """'Macintosh HD/:Users/:dj/:a.mp3' → '/Users/dj/a.mp3'; 'C:/:Music/:a.mp3' → 'C:/Music/a.mp3'."""
    volume, _, rest = key.partition("/:")
    rest = "/" + rest.replace("/:", "/")
    return volume + rest if len(volume) == 2 and volume.endswith(":") else rest


def parse_history_nml(data: bytes, *, ref_prefix: str = "", tz: tzinfo | None = None) -> list[DetectedTrack]:
    """Public plays (PLAYEDPUBLIC=1) of a history file, in playlist order.

    A file caught half-written does not parse and yields []: the caller keeps
    the last good reading.
    """
    try:
        root = ET.fromstring(data)
    except (ET.ParseError, ValueError):
        return []
    collection = {}
    for entry in root.iterfind("./COLLECTION/ENTRY"):
        location = entry.find("LOCATION")
        if location is not None:
            collection[location_key(location)] = entry
    tracks = []
    for index, item in enumerate(root.iterfind(".//PLAYLIST/ENTRY")):
        primary = item.find("PRIMARYKEY")
        extended = item.find("EXTENDEDDATA")
        if primary is None or extended is None or extended.get("PLAYEDPUBLIC", "1") == "0":
            continue
        key = primary.get("KEY", "")
        track = _track(collection.get(key), key, extended, f"{ref_prefix}#{index}", tz)
        if track is not None:
            tracks.append(track)
    return tracks


def _track(
    entry: ET.Element | None, key: str, extended: ET.Element, ref: str, tz: tzinfo | None
) -> DetectedTrack | None:
    info = entry.find("INFO") if entry is not None else None
    tempo = entry.find("TEMPO") if entry is not None else None
    album = entry.find("ALBUM") if entry is not None else None
    title = entry.get("TITLE", "") if entry is not None else ""
    if not title:
        title = key.rsplit("/:", 1)[-1].rsplit(".", 1)[0]
    if not title:
        return None
    deck = extended.get("DECK")
    return make_track(
        title=title,
        artist=entry.get("ARTIST", "") if entry is not None else "",
        album=album.get("TITLE") if album is not None else None,
        bpm=_float(tempo.get("BPM")) if tempo is not None else None,
        key=info.get("KEY") if info is not None else None,
        duration_s=_float(info.get("PLAYTIME_FLOAT") or info.get("PLAYTIME")) if info is not None else None,
        file_path=key_to_path(key) if key else None,
        deck=str(int(deck) + 1) if deck and deck.isdigit() else None,  # DECK is 0-based
        started_at=traktor_start(extended.get("STARTDATE"), extended.get("STARTTIME"), tz),
        source="traktor",
        source_ref=ref,
    )


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        return None


class TraktorSource(FileSource):
    name = "traktor"
    label = "Traktor (history file)"

    def __init__(self, path=None, *, folders=None, tz: tzinfo | None = None) -> None:
        super().__init__(path, folders=folders)
        self._tz = tz

    @classmethod
    def paths_for(cls, folders: KnownFolders) -> list[Path]:
        """Every 'Traktor <version>' folder, the most recently used first."""
        if not (folders.is_windows or folders.is_mac):
            return []
        parents = [folders.documents / "Native Instruments"]
        if folders.is_windows and folders.local_appdata:
            parents.append(folders.local_appdata / "Native Instruments")
        found = []
        for parent in parents:
            try:
                found.extend(p for p in parent.iterdir() if p.name.startswith("Traktor") and p.is_dir())
            except OSError:
                continue
        return sorted(found, key=lambda p: mtime(p / "collection.nml"), reverse=True)

    def looks_installed(self, path: Path) -> bool:
        return (path / "History").is_dir() or (path.name == "History" and path.is_dir())

    def history_dir(self) -> Path | None:
        found = self.detect()
        if found is None:
            return None
        return found if found.name == "History" else found / "History"

    def history_files(self) -> list[Path]:
        files = [p for p in list_files(self.history_dir(), (".nml",)) if p.name.startswith("history_")]
        return sorted(files, key=lambda p: (p.name, mtime(p)))  # names sort by date and time

    def tracked_files(self) -> list[Path]:
        return self.history_files()[-1:]

    def watch_paths(self) -> list[Path]:
        history = self.history_dir()
        return [history] if history else []

    def _parse(self, path: Path) -> list[DetectedTrack]:
        data = read_bytes(path)
        return parse_history_nml(data, ref_prefix=path.name, tz=self._tz) if data else []

    def read_current(self) -> DetectedTrack | None:
        files = self.history_files()
        tracks = self._parse(files[-1]) if files else []
        return tracks[-1] if tracks else None

    def read_history(self, since: datetime) -> list[DetectedTrack]:
        out = []
        for path in self.history_files():
            if mtime(path) >= since.timestamp():
                out.extend(t for t in self._parse(path) if t.started_at and t.started_at >= since)
        return sorted(out, key=lambda t: t.started_at)
