"""Live detection for the UI: one source + watcher + detector, wired together.

    live = LiveDetection(source, on_play=queue_play, on_error=show_error)
    live.start()            # returns at once; plays arrive on a worker thread
    ...
    live.stop()

on_play / on_reading / on_error run on the watcher thread; a Textual app
forwards them with post_message.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from agent.core.detector import Detector, Play
from agent.core.sources.base import Source
from agent.core.track import DetectedTrack, now_utc
from agent.core.watcher import ObserverKind, Watcher


class LiveDetection:
    def __init__(
        self,
        source: Source,
        on_play: Callable[[Play], None],
        *,
        on_error: Callable[[Exception], None] | None = None,
        on_reading: Callable[[DetectedTrack | None], None] | None = None,
        settle_s: float = 3.0,
        grace_s: float = 15 * 60,
        min_replay_s: float = 120.0,
        debounce_s: float = 0.4,
        poll_s: float = 2.0,
        observer: ObserverKind = "native",
        clock: Callable[[], datetime] = now_utc,
    ) -> None:
        self.source = source
        self._on_play = on_play
        self._on_reading = on_reading
        self.detector = Detector(clock=clock, settle_s=settle_s, grace_s=grace_s, min_replay_s=min_replay_s)
        self.watcher = Watcher(
            source, self._handle, on_error=on_error, debounce_s=debounce_s, poll_s=poll_s, observer=observer
        )

    def start(self) -> None:
        self.watcher.start()

    def stop(self) -> None:
        self.watcher.stop()

    def refresh(self) -> None:
        """Re-read now (e.g. right after a manual entry)."""
        self.watcher.read_in(0)

    def earlier_tonight(self, lookback_s: float = 12 * 3600) -> list[DetectedTrack]:
        """Tonight's plays from before the agent started, for an "import?" offer.

        Reads the source's history on the caller's thread (may take a moment on
        a big library; run it in a worker).
        """
        since = self.detector.agent_started_at - timedelta(seconds=lookback_s)
        return self.detector.earlier_tonight(self.source.read_history(since))

    def import_plays(self, tracks: list[DetectedTrack]) -> list[Play]:
        """Plays for the tracks the DJ picked; the caller queues them."""
        return self.detector.import_plays(tracks)

    def _handle(self, reading: DetectedTrack | None) -> None:
        if self._on_reading is not None:
            self._on_reading(reading)
        for play in self.detector.feed(reading):
            self._on_play(play)
        wait = self.detector.next_check_in()
        if wait is not None:
            self.watcher.read_in(wait)
