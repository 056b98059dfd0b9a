"""Serato DJ ≤ 3.x: binary _Serato_/History/Sessions/<N>.session files.

A flat stream of chunks: 4-byte tag, u32 big-endian length, payload. `oent`
holds one `adat` row (field id u32, length u32, value); `oren` holds a `uent`
with the id of a row to drop. While a session runs, Serato appends a new copy
of a row on every deck load/eject, so the last copy of a row id wins. A read
can end inside a chunk: parsing stops there, quietly; the next read gets it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from agent.core.files import list_files, mtime, read_bytes
from agent.core.paths import KnownFolders
from agent.core.sources.base import DeckOptions, FileSource, MixMode, pick_deck
from agent.core.track import DetectedTrack, from_epoch, make_track, parse_duration

# adat field ids, checked against real files (WNP fixtures, SSLScrobbler).
ROW, PATH, LOCATION, FILENAME = 1, 2, 3, 4
TITLE, ARTIST, ALBUM, GENRE, LENGTH = 6, 7, 8, 9, 10
BPM, START, END, DECK, SESSION, PLAYED, KEY, UPDATED = 15, 28, 29, 31, 48, 50, 51, 53

_TEXT_FIELDS = {PATH, LOCATION, FILENAME, TITLE, ARTIST, ALBUM, GENRE, LENGTH, KEY}
_SESSION_NAME = re.compile(r"^(\d+)\.session$", re.I)


def iter_chunks(data: bytes) -> Iterator[tuple[bytes, bytes]]:
    """(tag, payload) pairs; stops at the first chunk that runs past the end."""
    pos, size = 0, len(data)
    while pos + 8 <= size:
        tag = data[pos : pos + 4]
        length = int.from_bytes(data[pos + 4 : pos + 8], "big")
        end = pos + 8 + length
        if end > size:
            return  # still being written
        yield tag, data[pos + 8 : end]
        pos = end


def parse_adat(payload: bytes) -> dict[int, bytes]:
    """field id → raw value; a field running past the end is dropped."""
    fields: dict[int, bytes] = {}
    pos, size = 0, len(payload)
    while pos + 8 <= size:
        field_id = int.from_bytes(payload[pos : pos + 4], "big")
        length = int.from_bytes(payload[pos + 4 : pos + 8], "big")
        end = pos + 8 + length
        if end > size:
            break
        fields[field_id] = payload[pos + 8 : end]
        pos = end
    return fields


def text(raw: bytes | None) -> str:
    """UTF-16BE, NUL-terminated; an odd trailing byte is ignored."""
    if not raw:
        return ""
    raw = raw[: len(raw) - (len(raw) % 2)]
    return raw.decode("utf-16-be", errors="replace").split("\x00", 1)[0]


def number(raw: bytes | None) -> int | None:
    """Big-endian unsigned of 1–8 bytes (times are u32 on mac 2.4, u64 on win 2.5)."""
    if not raw or len(raw) > 8:
        return None
    return int.from_bytes(raw, "big")


@dataclass(frozen=True)
class SessionEntry:
    track: DetectedTrack
    played: bool
    row: int | None


def parse_session(data: bytes) -> list[SessionEntry]:
    """Rows of a session file, deduplicated by row id (last copy wins), in first-seen order."""
    rows: dict[object, SessionEntry] = {}
    for index, (tag, payload) in enumerate(iter_chunks(data)):
        if tag == b"oent":
            for inner_tag, inner in iter_chunks(payload):
                if inner_tag == b"adat":
                    entry = _entry(parse_adat(inner))
                    if entry is not None:
                        key = entry.row if entry.row is not None else ("chunk", index)
                        rows[key] = entry  # dict keeps the first position, takes the last value
        elif tag == b"oren":
            for inner_tag, inner in iter_chunks(payload):
                if inner_tag == b"uent":
                    rows.pop(number(inner), None)
    return list(rows.values())


def _entry(fields: dict[int, bytes]) -> SessionEntry | None:
    title = text(fields.get(TITLE))
    path = text(fields.get(PATH))
    if not title:
        title = text(fields.get(FILENAME)).rsplit(".", 1)[0]
    if not title:
        return None
    row = number(fields.get(ROW))
    start = from_epoch(number(fields.get(START)))
    deck = number(fields.get(DECK))
    bpm = number(fields.get(BPM))
    ref = str(row) if row is not None else f"{number(fields.get(START))}:{deck}"
    track = make_track(
        title=title,
        artist=text(fields.get(ARTIST)),
        album=text(fields.get(ALBUM)) or None,
        bpm=bpm or None,
        key=text(fields.get(KEY)) or None,
        duration_s=parse_duration(text(fields.get(LENGTH))),
        file_path=path or None,
        deck=str(deck) if deck else None,
        started_at=start,
        source="serato3",
        source_ref=ref,
    )
    if track is None:
        return None
    return SessionEntry(track=track, played=bool(number(fields.get(PLAYED))), row=row)


def current_from_entries(
    entries: Iterable[SessionEntry],
    *,
    require_played: bool = True,
    mode: MixMode = "newest",
    skip_decks: Iterable[str] = (),
) -> DetectedTrack | None:
    """Per deck the newest-started (played) row, then newest/oldest across decks."""
    per_deck: dict[str, DetectedTrack] = {}
    for entry in entries:
        track = entry.track
        if track.deck is None or (require_played and not entry.played):
            continue
        held = per_deck.get(track.deck)
        if held is None or _start(track) >= _start(held):
            per_deck[track.deck] = track
    return pick_deck(per_deck.values(), mode, skip_decks)


def _start(track: DetectedTrack) -> float:
    return track.started_at.timestamp() if track.started_at else 0.0


def session_number(path: Path) -> int:
    match = _SESSION_NAME.match(path.name)
    return int(match.group(1)) if match else -1


class Serato3Source(DeckOptions, FileSource):
    name = "serato3"
    label = "Serato DJ (3.x and older)"

    @classmethod
    def paths_for(cls, folders: KnownFolders) -> list[Path]:
        if folders.is_windows or folders.is_mac:
            return [folders.music / "_Serato_"]
        return []

    def looks_installed(self, path: Path) -> bool:
        return (path / "History" / "Sessions").is_dir() or (path.name == "Sessions" and path.is_dir())

    def sessions_dir(self) -> Path | None:
        found = self.detect()
        if found is None:
            return None
        return found if found.name == "Sessions" else found / "History" / "Sessions"

    def session_files(self) -> list[Path]:
        files = [p for p in list_files(self.sessions_dir(), (".session",)) if session_number(p) >= 0]
        return sorted(files, key=session_number)  # numerically: 10 after 9

    def tracked_files(self) -> list[Path]:
        return self.session_files()[-2:]

    def watch_paths(self) -> list[Path]:
        sessions = self.sessions_dir()
        return [sessions] if sessions else []

    def _entries(self, path: Path) -> list[SessionEntry]:
        data = read_bytes(path)
        return parse_session(data) if data else []

    def read_current(self) -> DetectedTrack | None:
        files = self.session_files()
        if not files:
            return None
        return current_from_entries(
            self._entries(files[-1]),
            require_played=self.require_played,
            mode=self.mix_mode,
            skip_decks=self.skip_decks,
        )

    def read_history(self, since: datetime) -> list[DetectedTrack]:
        cutoff = since.timestamp()
        out = []
        for path in self.session_files():
            if mtime(path) < cutoff:
                continue
            for entry in self._entries(path):
                started = entry.track.started_at
                if (entry.played or not self.require_played) and started is not None and started >= since:
                    out.append(entry.track)
        out.sort(key=_start)
        return out
