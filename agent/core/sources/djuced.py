"""DJUCED (Hercules): playing.txt, one "title | deck | artist | album" line per deck.

The DJ must turn on Settings → Record → Text File Output with exactly the
template `%TI% | %DE% | %AR% | %AL%`. The file is rewritten whole; a deck whose
(title, artist) differs from what we last saw on it has a new track, started
at the file's modification time. DJUCED.db, when present, fills in BPM, key
and length; when it is absent the track still goes through (WNP PR #1903).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from agent.core.errors import SourceError
from agent.core.files import file_signature, mtime_utc, read_bytes
from agent.core.paths import KnownFolders
from agent.core.sources.base import MixMode, SingleFileSource, pick_deck
from agent.core.sqlite_ro import ReadOnlyDB
from agent.core.textio import split_lines
from agent.core.track import DetectedTrack, clean_text, comparable

FILENAME = "playing.txt"
DATABASE = "DJUCED.db"


@dataclass(frozen=True)
class DeckLine:
    deck: str
    title: str
    artist: str
    album: str


def parse_playing(data: bytes) -> list[DeckLine]:
    """Deck lines in file order; lines without a title or a numeric deck are skipped."""
    out = []
    for line in split_lines(data, complete_only=False):  # rewritten whole, not appended
        parts = [clean_text(part) for part in line.split("|")]
        if len(parts) < 3 or not parts[0] or not parts[1].isdigit():
            continue
        album = " | ".join(parts[3:]).strip() if len(parts) > 3 else ""
        out.append(DeckLine(deck=parts[1], title=parts[0], artist=parts[2], album=album))
    return out


class DjucedSource(SingleFileSource):
    name = "djuced"
    label = "DJUCED"

    def __init__(
        self, path=None, *, folders=None, mix_mode: MixMode = "newest", skip_decks: Iterable[str] = ()
    ) -> None:
        super().__init__(path, folders=folders)
        self.mix_mode: MixMode = mix_mode
        self.skip_decks = tuple(skip_decks)
        # deck → (comparable title+artist, the track as first seen with that value)
        self._decks: dict[str, tuple[tuple[str, str], DetectedTrack]] = {}
        self._lock = threading.Lock()
        self._db: ReadOnlyDB | None = None

    @classmethod
    def paths_for(cls, folders: KnownFolders) -> list[Path]:
        if folders.is_windows or folders.is_mac:
            return [folders.documents / "DJUCED"]
        return []

    def looks_installed(self, path: Path) -> bool:
        return path.is_file() or (path / FILENAME).is_file() or (path / DATABASE).is_file()

    def file(self) -> Path | None:
        found = self.detect()
        if found is None:
            return None
        return found if found.is_file() else found / FILENAME

    def read_current(self) -> DetectedTrack | None:
        path = self.file()
        data = read_bytes(path) if path else None
        if not data or path is None:
            return None
        changed_at = mtime_utc(path)
        with self._lock:
            for line in parse_playing(data):
                value = (comparable(line.title), comparable(line.artist))
                held = self._decks.get(line.deck)
                if held is None or held[0] != value:
                    track = DetectedTrack(
                        title=line.title,
                        artist=line.artist,
                        album=line.album or None,
                        deck=line.deck,
                        started_at=changed_at,
                        source=self.name,
                    )
                    self._decks[line.deck] = (value, self._enrich(track, path.parent))
            # Decks missing from a (maybe half-written) file keep their last track.
            current = [track for _, track in self._decks.values()]
        return pick_deck(current, self.mix_mode, self.skip_decks)

    def read_history(self, since: datetime) -> list[DetectedTrack]:
        """Only what is on the decks now: playing.txt keeps no history."""
        track = self.read_current()
        return [track] if track and track.started_at and track.started_at >= since else []

    def _enrich(self, track: DetectedTrack, folder: Path) -> DetectedTrack:
        db_path = folder / DATABASE
        if file_signature(db_path) is None:
            return track
        if self._db is None or self._db.path != db_path:
            self._db = ReadOnlyDB(db_path, retries=2)
        try:
            rows = self._db.query(
                "SELECT artist, title, album, bpm, key, length, absolutepath FROM tracks WHERE title = ? LIMIT 20",
                (track.title,),
            )
        except SourceError:
            return track  # a library lookup must never lose the play
        for row in rows:
            if comparable(str(row["artist"] or "")) == comparable(track.artist):
                found = DetectedTrack(
                    title=track.title,
                    bpm=row["bpm"],
                    key=row["key"],
                    album=row["album"],
                    duration_s=row["length"],
                    file_path=row["absolutepath"],
                )
                return track.with_missing(found)
        return track

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
