"""Manual entry: the DJ types artist/title in the UI; this source holds it."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Hashable
from datetime import datetime
from pathlib import Path

from agent.core.sources.base import Source
from agent.core.track import DetectedTrack, now_utc


class ManualSource(Source):
    name = "manual"
    label = "Manual entry"
    auto_detect = False

    def __init__(self, path=None, *, folders=None, clock: Callable[[], datetime] = now_utc) -> None:
        super().__init__(path, folders=folders)
        self._clock = clock
        self._lock = threading.Lock()
        self._counter = itertools.count(1)
        self._serial = 0
        self._current: DetectedTrack | None = None
        self._history: list[DetectedTrack] = []

    def detect(self) -> Path | None:
        return None  # nothing on disk

    def enter(
        self,
        title: str,
        artist: str = "",
        *,
        version: str | None = None,
        bpm: float | None = None,
        key: str | None = None,
        energy: int | None = None,
    ) -> DetectedTrack:
        """Record what the DJ typed as starting now; each entry is a new play."""
        with self._lock:
            serial = next(self._counter)
            track = DetectedTrack(
                title=title,
                artist=artist,
                version=version,
                bpm=bpm,
                key=key,
                energy=energy,
                started_at=self._clock(),
                source=self.name,
                source_ref=f"manual{serial}",
            )
            if not track.title:
                raise ValueError("a title is required")
            self._serial, self._current = serial, track
            self._history.append(track)
            return track

    def watch_paths(self) -> list[Path]:
        return []

    def change_token(self) -> Hashable:
        return self._serial

    def read_current(self) -> DetectedTrack | None:
        return self._current

    def read_history(self, since: datetime) -> list[DetectedTrack]:
        with self._lock:
            return [t for t in self._history if t.started_at and t.started_at >= since]
