"""The one interface every DJ-software source implements."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Hashable, Iterable
from datetime import datetime
from pathlib import Path
from typing import ClassVar, Literal

from agent.core.files import stat_signature
from agent.core.paths import KnownFolders
from agent.core.sqlite_ro import ReadOnlyDB
from agent.core.track import DetectedTrack

MixMode = Literal["newest", "oldest"]


class Source(ABC):
    """Reads the current track and tonight's history from one DJ program.

    A source is constructed with an optional user path (it overrides the
    OS defaults) and is cheap to create. read_current / read_history return
    None / [] when there is nothing to read yet, and raise SourceError when
    something is there but unreadable. Parsing lives in pure functions in each
    module; the methods only find files, read bytes and call them.
    """

    name: ClassVar[str]
    label: ClassVar[str]
    # Sources the auto-detector should not guess (they need the user's choice).
    auto_detect: ClassVar[bool] = True

    def __init__(self, path: str | Path | None = None, *, folders: KnownFolders | None = None) -> None:
        self.path_override = Path(path).expanduser() if path else None
        self._folders = folders

    @property
    def folders(self) -> KnownFolders:
        if self._folders is None:
            self._folders = KnownFolders.current()
        return self._folders

    @classmethod
    def default_paths(cls, folders: KnownFolders | None = None) -> list[Path]:
        """Where this program keeps its data on this OS (or folders' OS), most likely first."""
        return cls.paths_for(folders or KnownFolders.current())

    @classmethod
    def paths_for(cls, folders: KnownFolders) -> list[Path]:
        """Per-source candidates; override this, callers use default_paths()."""
        return []

    def looks_installed(self, path: Path) -> bool:
        """Does this candidate path hold this program's data?"""
        return path.exists()

    def detect(self) -> Path | None:
        """The path in use: the user's override if it exists, else the first default that does."""
        candidates = [self.path_override] if self.path_override else self.default_paths(self.folders)
        for candidate in candidates:
            if self.looks_installed(candidate):
                return candidate
        return None

    @abstractmethod
    def watch_paths(self) -> list[Path]:
        """Directories (not files) whose changes may mean a new track."""

    @abstractmethod
    def change_token(self) -> Hashable:
        """Cheap value that changes when a re-read might give something new."""

    @abstractmethod
    def read_current(self) -> DetectedTrack | None:
        """The track the program says is playing now (its newest play)."""

    @abstractmethod
    def read_history(self, since: datetime) -> list[DetectedTrack]:
        """Plays that started at or after since, oldest first."""

    def close(self) -> None:  # noqa: B027 - optional hook, most sources hold nothing open
        """Release open handles; the source re-opens lazily if used again."""


class FileSource(Source):
    """A source backed by plain files: the change token is their stat()."""

    def tracked_files(self) -> list[Path]:
        return []

    def change_token(self) -> Hashable:
        return stat_signature(self.tracked_files())


class SingleFileSource(FileSource):
    """A source that reads one file (watched through its folder, since writers may replace it)."""

    @abstractmethod
    def file(self) -> Path | None: ...

    def tracked_files(self) -> list[Path]:
        path = self.file()
        return [path] if path else []

    def watch_paths(self) -> list[Path]:
        path = self.file()
        return [path.parent] if path else []


class DeckOptions:
    """Options of multi-deck sources: which deck counts as "now playing" (see pick_deck)."""

    def __init__(
        self,
        path=None,
        *,
        folders=None,
        require_played: bool = True,
        mix_mode: MixMode = "newest",
        skip_decks: Iterable[str] = (),
    ) -> None:
        super().__init__(path, folders=folders)
        self.require_played = require_played
        self.mix_mode: MixMode = mix_mode
        self.skip_decks = tuple(skip_decks)


class SqliteSource(Source):
    """A source backed by another program's SQLite database (read-only)."""

    def __init__(self, path: str | Path | None = None, *, folders: KnownFolders | None = None) -> None:
        super().__init__(path, folders=folders)
        self._db: ReadOnlyDB | None = None

    db_filename: ClassVar[str]

    def db_path(self) -> Path | None:
        found = self.detect()
        if found is None:
            return None
        return found / self.db_filename if found.is_dir() else found

    def looks_installed(self, path: Path) -> bool:
        return (path / self.db_filename).is_file() if path.is_dir() else path.is_file()

    def db(self) -> ReadOnlyDB | None:
        path = self.db_path()
        if path is None:
            return None
        if self._db is None or self._db.path != path:
            self.close()
            self._db = ReadOnlyDB(path)
        return self._db

    def watch_paths(self) -> list[Path]:
        path = self.db_path()
        return [path.parent] if path else []

    def change_token(self) -> Hashable:
        db = self.db()
        if db is None:
            return None
        wal = db.path.with_name(db.path.name + "-wal")
        # data_version catches commits that fire no file event (WNP #1401);
        # the stat of db + WAL catches a replaced file.
        return (db.data_version(), stat_signature([db.path, wal]))

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None


def pick_deck(
    tracks: Iterable[DetectedTrack], mode: MixMode = "newest", skip_decks: Iterable[str] = ()
) -> DetectedTrack | None:
    """One track among per-deck candidates.

    "newest" (default) follows the deck that started last; "oldest" keeps the
    longest-playing deck during a blend (WNP's mix modes). skip_decks drops
    e.g. sample decks 3/4. Tracks without a start time rank oldest. On a tie
    "newest" takes the later candidate, "oldest" the earlier one.
    """
    skipped = {str(deck) for deck in skip_decks}
    candidates = [t for t in tracks if t.deck not in skipped]
    if not candidates:
        return None

    def start(track: DetectedTrack) -> float:
        return track.started_at.timestamp() if track.started_at else float("-inf")

    if mode == "oldest":
        return min(candidates, key=start)
    return max(reversed(candidates), key=start)  # max keeps the first maximum: reversed → the later
