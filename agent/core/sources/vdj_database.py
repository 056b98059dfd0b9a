"""VirtualDJ database.xml: BPM, key, album and length for history entries.

The file can be tens of MB, so it is stream-parsed once and cached until its
size/mtime change. A truncated file (VirtualDJ mid-save) yields the songs
parsed so far.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from agent.core.track import DetectedTrack, comparable


def vdj_bpm(value: str | None) -> float | None:
    """<Scan Bpm> is seconds per beat (0.4839 → 124); values ≥ 10 are already BPM."""
    try:
        number = float(value) if value else 0.0
    except ValueError:
        return None
    if not number > 0 or number != number or number == float("inf"):
        return None
    bpm = number if number >= 10 else 60.0 / number
    return round(bpm, 2) if 20 <= bpm <= 400 else None


def path_key(path: str) -> str:
    """Windows paths compare case-insensitively and with either slash."""
    return path.replace("\\", "/").casefold()


@dataclass
class VdjDatabase:
    by_path: dict[str, DetectedTrack] = field(default_factory=dict)
    by_name: dict[tuple[str, str], DetectedTrack] = field(default_factory=dict)

    def lookup(self, track: DetectedTrack) -> DetectedTrack | None:
        """Exact file path first, then artist + title."""
        if track.file_path:
            hit = self.by_path.get(path_key(track.file_path))
            if hit is not None:
                return hit
        return self.by_name.get((comparable(track.artist), comparable(track.title)))


def parse_vdj_database(data: bytes) -> VdjDatabase:
    database = VdjDatabase()
    parser = ET.XMLPullParser(events=("end",))
    try:
        parser.feed(data)
        parser.close()
    except ET.ParseError:
        pass  # keep the songs completed before the damage
    try:
        events = list(parser.read_events())
    except ET.ParseError:  # pragma: no cover - defensive
        events = []
    for _, element in events:
        if element.tag != "Song":
            continue
        song = _song(element)
        element.clear()
        if song is None:
            continue
        if song.file_path:
            database.by_path[path_key(song.file_path)] = song
        database.by_name.setdefault((comparable(song.artist), comparable(song.title)), song)
    return database


def _song(element: ET.Element) -> DetectedTrack | None:
    tags = element.find("Tags")
    infos = element.find("Infos")
    scan = element.find("Scan")
    title = tags.get("Title", "") if tags is not None else ""
    path = element.get("FilePath")
    if not title and not path:
        return None
    try:
        length = float(infos.get("SongLength", "")) if infos is not None else None
    except ValueError:
        length = None
    return DetectedTrack(
        title=title or "?",
        artist=tags.get("Author", "") if tags is not None else "",
        version=(tags.get("Remix") or None) if tags is not None else None,
        album=(tags.get("Album") or None) if tags is not None else None,
        bpm=vdj_bpm(scan.get("Bpm")) if scan is not None else None,
        key=(scan.get("Key") or None) if scan is not None else None,
        duration_s=length,
        file_path=path,
        source="virtualdj",
    )
