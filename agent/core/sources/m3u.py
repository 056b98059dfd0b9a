"""M3U/M3U8 playlists: VirtualDJ history (#EXTVDJ) and any generic writer (#EXTINF).

Each entry is its tag line(s) plus the location line that FOLLOWS them. A tag
line with no location line yet is a write in progress: it is left out, so
artist/title of a new entry are never mixed with the path of the old one.
"""

from __future__ import annotations

import ntpath
import posixpath
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path
from urllib.parse import unquote, urlsplit

from agent.core.files import is_settled, list_files, mtime, read_bytes
from agent.core.sources.base import FileSource
from agent.core.textio import split_lines
from agent.core.track import DetectedTrack, from_epoch, make_track, split_artist_title

PLAYLIST_SUFFIXES = (".m3u", ".m3u8")

_TAG = re.compile(r"<(\w+)>(.*?)</\1>", re.S)
_ENTITY = re.compile(r"&(amp|lt|gt|quot|apos|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
_EXTINF = re.compile(r"^#EXTINF:\s*(?P<secs>-?\d+(?:\.\d+)?)?[^,]*,(?P<text>.*)$", re.I)
_HHMM = re.compile(r"^\s*(\d{1,2}):(\d{2})")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]+://")


def unescape_entities(text: str) -> str:
    """Decode only real XML entities, so a raw "R&B" or "A & B" survives."""

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if not name.startswith("#"):
            return _NAMED[name]
        code = int(name[2:], 16) if name[1:2] in ("x", "X") else int(name[1:])
        if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF:
            return chr(code)
        return match.group(0)

    return _ENTITY.sub(replace, text)


def parse_vdj_tags(text: str) -> dict[str, str]:
    """<tag>value</tag> pairs of an #EXTVDJ line, in any order."""
    return {name.lower(): unescape_entities(value) for name, value in _TAG.findall(text)}


@dataclass
class _Pending:
    tags: dict[str, str] | None = None
    info: tuple[float | None, str] | None = None


def parse_m3u(
    data: bytes,
    *,
    source: str = "m3u",
    ref_prefix: str = "",
    base_dir: str | None = None,
    complete_only: bool = True,
    file_date: date | None = None,
    tz: tzinfo | None = None,
) -> list[DetectedTrack]:
    """Entries of a playlist, in file order. Never raises on bad input.

    source_ref is VirtualDJ's lastplaytime when present, else
    "<ref_prefix>#<entry index>". file_date (the date in a VirtualDJ history
    file name) plus <time>HH:MM</time> gives a start time when lastplaytime is
    missing, rolling over midnight when the clock goes backwards; tz is the
    zone of that wall-clock time (None = this machine's).
    """
    tracks: list[DetectedTrack] = []
    pending = _Pending()
    clock = _WallClock(file_date, tz)
    index = 0

    def flush(location: str | None) -> None:
        nonlocal index
        track = _entry(pending, location, source, f"{ref_prefix}#{index}", base_dir, clock)
        index += 1
        if track is not None:
            tracks.append(track)

    for raw in split_lines(data, complete_only=complete_only):
        line = raw.strip()
        if not line:
            continue
        upper = line[:8].upper()
        if upper.startswith("#EXTVDJ"):
            if pending.tags is not None:  # an older tag line never got a location
                flush(None)
                pending = _Pending()
            pending.tags = parse_vdj_tags(line)
        elif upper.startswith("#EXTINF"):
            match = _EXTINF.match(line)
            secs = match.group("secs") if match else None
            pending.info = (float(secs) if secs else None, match.group("text").strip() if match else "")
        elif line.startswith("#"):
            continue
        else:
            flush(line)
            pending = _Pending()
    return tracks  # a trailing tag line without its location is still being written


class _WallClock:
    """<time>HH:MM</time> + the file's date → aware datetime, with midnight rollover."""

    def __init__(self, file_date: date | None, tz: tzinfo | None) -> None:
        self.file_date, self.tz = file_date, tz
        self.days, self.last = 0, -1

    def at(self, hhmm: str | None) -> datetime | None:
        match = _HHMM.match(hhmm or "")
        if self.file_date is None or match is None:
            return None
        hours, minutes = int(match.group(1)), int(match.group(2))
        if hours > 23 or minutes > 59:
            return None
        value = hours * 60 + minutes
        if value < self.last:
            self.days += 1
        self.last = value
        try:
            naive = datetime.combine(self.file_date + timedelta(days=self.days), datetime.min.time())
            naive += timedelta(hours=hours, minutes=minutes)
            return naive.replace(tzinfo=self.tz) if self.tz else naive.astimezone()
        except (OverflowError, OSError, ValueError):
            return None


def _entry(
    pending: _Pending,
    location: str | None,
    source: str,
    fallback_ref: str,
    base_dir: str | None,
    clock: _WallClock,
) -> DetectedTrack | None:
    tags = pending.tags or {}
    info_secs, info_text = pending.info or (None, "")
    artist, title = tags.get("artist", ""), tags.get("title", "")
    if not title and info_text:
        artist, title = split_artist_title(info_text)
    path = _resolve(location, base_dir) if location else None
    if not title and path and not _SCHEME.match(path):
        stem = ntpath.basename(path) if "\\" in path else posixpath.basename(path)
        artist, title = split_artist_title(stem.rsplit(".", 1)[0] if "." in stem else stem)
    if not title.strip():
        return None  # e.g. a bare netsearch:// line: nothing to show
    lastplay = _int(tags.get("lastplaytime"))
    started = from_epoch(lastplay) if lastplay else clock.at(tags.get("time"))
    duration = _float(tags.get("songlength")) or (info_secs if info_secs and info_secs > 0 else None)
    return make_track(
        title=title,
        artist=artist,
        version=tags.get("remix") or None,
        duration_s=duration,
        file_path=path,
        started_at=started,
        source=source,
        source_ref=str(lastplay) if lastplay else fallback_ref,
    )


def _resolve(location: str, base_dir: str | None) -> str:
    if location.lower().startswith("file://"):
        parts = urlsplit(location)
        path = unquote(parts.path)
        if re.match(r"^/[a-zA-Z]:", path):  # file:///C:/Music/x.mp3
            path = path[1:]
        return path
    if _SCHEME.match(location) or base_dir is None:
        return location
    if location.startswith(("/", "\\")) or re.match(r"^[a-zA-Z]:[\\/]", location):
        return location
    return posixpath.normpath(posixpath.join(base_dir.replace("\\", "/"), location.replace("\\", "/")))


def _int(text: str | None) -> int | None:
    try:
        return int(float(text)) if text else None
    except (ValueError, OverflowError):
        return None


def _float(text: str | None) -> float | None:
    try:
        return float(text) if text else None
    except ValueError:
        return None


class M3uSource(FileSource):
    """Any program that writes a playlist folder: the last entry of the newest file."""

    name = "m3u"
    label = "M3U playlist folder"
    auto_detect = False  # the DJ points us at the folder

    def folder(self) -> Path | None:
        found = self.detect()
        if found is None:
            return None
        return found if found.is_dir() else found.parent

    def looks_installed(self, path: Path) -> bool:
        return path.is_dir() or (path.suffix.lower() in PLAYLIST_SUFFIXES and path.is_file())

    def playlists(self) -> list[Path]:
        found = self.detect()
        if found is not None and found.is_file():
            return [found]
        return list_files(self.folder(), PLAYLIST_SUFFIXES)

    def tracked_files(self) -> list[Path]:
        return self.playlists()

    def watch_paths(self) -> list[Path]:
        folder = self.folder()
        return [folder] if folder else []

    def _read(self, path: Path) -> list[DetectedTrack]:
        data = read_bytes(path)
        if not data:
            return []
        return parse_m3u(
            data,
            source=self.name,
            ref_prefix=path.name,
            base_dir=str(path.parent),
            complete_only=not is_settled(path),
        )

    def read_current(self) -> DetectedTrack | None:
        files = sorted(self.playlists(), key=mtime, reverse=True)
        for path in files[:1]:
            tracks = self._read(path)
            if tracks:
                return tracks[-1]
        return None

    def read_history(self, since: datetime) -> list[DetectedTrack]:
        """Entries of playlists written since then (they carry no start times)."""
        cutoff = since.timestamp()
        out: list[DetectedTrack] = []
        for path in sorted(self.playlists(), key=mtime):
            if mtime(path) >= cutoff:
                out.extend(t for t in self._read(path) if t.started_at is None or t.started_at >= since)
        return out
