"""VirtualDJ History/tracklist.txt: one "HH:MM : <tracklistFormat>" line per play.

The default format is "Artist - Title". A DJ may set tracklistFormat to
labelled fields (``deck=1 artist=… title=… filepath=…``); both are read.
Lines carry only a local HH:MM, so dates are worked out backwards from the
file's modification time (the last line was written last).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, tzinfo
from pathlib import Path

from agent.core.files import is_settled, mtime_utc, read_bytes
from agent.core.paths import KnownFolders
from agent.core.sources.base import SingleFileSource
from agent.core.sources.virtualdj import vdj_default_homes
from agent.core.textio import split_lines
from agent.core.track import DetectedTrack, make_track, split_artist_title

_LINE = re.compile(r"^\s*(?P<h>\d{1,2}):(?P<m>\d{2})\s+:\s?(?P<rest>.*)$")
_LABELLED = re.compile(r"(\w+)=(.*?)(?=\s+\w+=|$)")
_STARTS_LABELLED = re.compile(r"^\w+=")


def parse_tracklist_line(rest: str) -> dict[str, str]:
    text = rest.strip()
    if _STARTS_LABELLED.match(text):
        labels = {name.lower(): value.strip() for name, value in _LABELLED.findall(text)}
        if "title" in labels:
            return labels
    artist, title = split_artist_title(text)
    return {"artist": artist, "title": title}


def parse_tracklist(
    data: bytes,
    *,
    modified: datetime | None = None,
    tz: tzinfo | None = None,
    complete_only: bool = True,
) -> list[DetectedTrack]:
    """Plays in file order. modified (aware) anchors the dates; tz is the zone of HH:MM."""
    rows: list[tuple[int, tuple[int, int] | None, dict[str, str]]] = []
    for index, line in enumerate(split_lines(data, complete_only=complete_only)):
        if not line.strip():
            continue
        match = _LINE.match(line)
        hhmm = None
        if match and int(match.group("h")) < 24 and int(match.group("m")) < 60:
            hhmm = (int(match.group("h")), int(match.group("m")))
        fields = parse_tracklist_line(match.group("rest") if match else line)
        if fields.get("title"):
            rows.append((index, hhmm, fields))
    starts = _dates_backwards([hhmm for _, hhmm, _ in rows], modified, tz)
    tracks = []
    for (index, hhmm, fields), started in zip(rows, starts, strict=True):
        stamp = f"{hhmm[0]:02d}:{hhmm[1]:02d}" if hhmm else "--:--"
        track = make_track(
            title=fields["title"],
            artist=fields.get("artist", ""),
            version=fields.get("remix") or None,
            album=fields.get("album") or None,
            bpm=_float(fields.get("bpm")),
            key=fields.get("key") or None,
            file_path=fields.get("filepath") or None,
            deck=fields.get("deck") or None,
            started_at=started,
            source="vdj_tracklist",
            source_ref=f"line{index}@{stamp}",
        )
        if track is not None:
            tracks.append(track)
    return tracks


def _dates_backwards(
    times: list[tuple[int, int] | None], modified: datetime | None, tz: tzinfo | None
) -> list[datetime | None]:
    if modified is None:
        return [None] * len(times)
    try:
        local = modified.astimezone(tz) if tz else modified.astimezone()
    except (OverflowError, OSError, ValueError):
        return [None] * len(times)
    day = local.date()
    later = (local.hour, local.minute)
    out: list[datetime | None] = []
    for hhmm in reversed(times):
        if hhmm is None:
            out.append(None)
            continue
        try:
            if hhmm > later:  # the clock went backwards reading up: previous day
                day -= timedelta(days=1)
            later = hhmm
            naive = datetime(day.year, day.month, day.day, hhmm[0], hhmm[1])
            out.append(naive.replace(tzinfo=tz) if tz else naive.astimezone())
        except (OverflowError, OSError, ValueError):
            out.append(None)
    out.reverse()
    return out


def _float(text: str | None) -> float | None:
    try:
        return float(text) if text else None
    except ValueError:
        return None


class VdjTracklistSource(SingleFileSource):
    name = "vdj_tracklist"
    label = "VirtualDJ tracklist.txt"
    auto_detect = False  # VirtualDJ history is preferred; this is the DJ's choice

    def __init__(self, path=None, *, folders=None, tz: tzinfo | None = None) -> None:
        super().__init__(path, folders=folders)
        self._tz = tz

    @classmethod
    def paths_for(cls, folders: KnownFolders) -> list[Path]:
        return [home / "History" / "tracklist.txt" for home in vdj_default_homes(folders)]

    def looks_installed(self, path: Path) -> bool:
        return path.is_file() or (path / "History" / "tracklist.txt").is_file() or (path / "tracklist.txt").is_file()

    def file(self) -> Path | None:
        found = self.detect()
        if found is None or found.is_file():
            return found
        direct = found / "tracklist.txt"
        return direct if direct.is_file() else found / "History" / "tracklist.txt"

    def _read(self) -> list[DetectedTrack]:
        path = self.file()
        data = read_bytes(path) if path else None
        if not data or path is None:
            return []
        return parse_tracklist(data, modified=mtime_utc(path), tz=self._tz, complete_only=not is_settled(path))

    def read_current(self) -> DetectedTrack | None:
        tracks = self._read()
        return tracks[-1] if tracks else None

    def read_history(self, since: datetime) -> list[DetectedTrack]:
        return [t for t in self._read() if t.started_at is not None and t.started_at >= since]
