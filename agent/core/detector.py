"""From "what the source says is playing" to play events.

Rules (PRODUCT §3-§4, research §1.4-§1.5):
- settle and re-check: a new reading must still be there settle_s later,
  otherwise it is dropped (no flicker when the DJ loads quickly);
- one event per real play: re-reading the same row is not a play; the same
  song played again later (another row / start time) is;
- nothing from before the agent started (minus a grace period) is announced
  as now playing; such history is offered as "earlier tonight" instead;
- every play gets a fresh UUID4 play_id (the server's idempotency key) and
  its real start time: the source's, else when we first saw it.

No threads, no sleeps: the clock is injected and the caller re-reads the
source when next_check_in() says so.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from agent.core.track import DetectedTrack, now_utc, play_key, same_track

Key = tuple[str, str, str, str]


@dataclass(frozen=True)
class Play:
    """One play of one track, ready to queue for the server."""

    play_id: str
    track: DetectedTrack
    played_at: datetime  # real start (UTC)
    detected_at: datetime
    imported: bool = False  # from "earlier tonight", not seen live

    def event(self) -> dict[str, Any]:
        """The play event body of PRODUCT §4 step 2 (JSON-ready)."""
        t = self.track
        return {
            "play_id": self.play_id,
            "artist": t.artist,
            "title": t.title,
            "version": t.version,
            "bpm": t.bpm,
            "key": t.key,
            "energy": t.energy,
            "played_at": self.played_at.isoformat(),
            "source": t.source,
        }


@dataclass
class _Pending:
    track: DetectedTrack
    key: Key
    first_seen: datetime


class Detector:
    """Thread-safe; feed() it every reading, call it again at next_check_in()."""

    def __init__(
        self,
        *,
        clock: Callable[[], datetime] = now_utc,
        settle_s: float = 3.0,
        grace_s: float = 15 * 60,
        min_replay_s: float = 120.0,
        agent_started_at: datetime | None = None,
        new_id: Callable[[], str] = lambda: str(uuid.uuid4()),
    ) -> None:
        self._clock = clock
        self.settle = timedelta(seconds=settle_s)
        self.grace = timedelta(seconds=grace_s)
        self.min_replay = timedelta(seconds=min_replay_s)
        self.agent_started_at = agent_started_at or clock()
        self._new_id = new_id
        self._lock = threading.RLock()
        self._pending: _Pending | None = None
        self._emitted: set[Key] = set()  # announced or imported
        self._skipped: set[Key] = set()  # stale at start-up, or a repeat of the current play
        self._current: Play | None = None
        self._baseline: DetectedTrack | None = None
        self._first_reading = True

    @property
    def current(self) -> Play | None:
        """The latest play announced live."""
        return self._current

    @property
    def baseline(self) -> DetectedTrack | None:
        """What was already on when the agent started (not announced; the UI may offer it)."""
        return self._baseline

    def is_stale(self, track: DetectedTrack) -> bool:
        """Started before the agent (minus grace) and not still running then."""
        if track.started_at is None:
            return False
        if track.started_at >= self.agent_started_at - self.grace:
            return False
        if track.duration_s:
            return track.started_at + timedelta(seconds=track.duration_s) < self.agent_started_at
        return True

    def feed(self, reading: DetectedTrack | None) -> list[Play]:
        """Take one reading; returns the plays it completes (0 or 1).

        None (nothing to read, an empty new file) keeps the last good track.
        The very first reading is the start-up state: without a start time
        it can't be dated, so it is held as the baseline, not announced.
        """
        with self._lock:
            first, self._first_reading = self._first_reading, False
            if reading is None:
                return []
            now = self._clock()
            key = play_key(reading)
            if key in self._emitted or key in self._skipped:
                self._pending = None  # back to something known: a change that didn't stick
                return []
            if self.is_stale(reading) or (first and reading.started_at is None):
                # Left over from before we started (or unknown age): don't announce.
                self._skipped.add(key)
                self._baseline, self._pending = reading, None
                return []
            if self._repeats_current(reading, now):
                self._skipped.add(key)
                self._pending = None
                return []
            if self._pending is None or self._pending.key != key:
                self._pending = _Pending(reading, key, now)
            else:
                self._pending.track = reading  # a later read may carry more metadata
            if now - self._pending.first_seen >= self.settle:
                return [self._emit(self._pending, now)]
            return []

    def next_check_in(self) -> float | None:
        """Seconds until the pending reading should be re-read; None if nothing waits."""
        with self._lock:
            if self._pending is None:
                return None
            due = self._pending.first_seen + self.settle - self._clock()
            return max(0.0, due.total_seconds())

    def announce_baseline(self) -> Play | None:
        """The DJ confirms the start-up track is really playing: announce it now."""
        with self._lock:
            if self._baseline is None:
                return None
            now = self._clock()
            play = self._emit(_Pending(self._baseline, play_key(self._baseline), now), now)
            self._baseline = None
            return play

    def earlier_tonight(self, history: Iterable[DetectedTrack], *, max_gap_s: float = 30 * 60) -> list[DetectedTrack]:
        """Plays before the agent started that belong to tonight's set, oldest first.

        history is a source's read_history(); "tonight" is the run of plays
        ending at the agent's start with no gap longer than max_gap_s.
        Plays already announced or imported are left out.
        """
        gap = timedelta(seconds=max_gap_s)
        with self._lock:
            emitted = set(self._emitted)
            earlier = sorted(
                (t for t in history if t.started_at is not None and t.started_at < self.agent_started_at),
                key=lambda t: t.started_at,  # type: ignore[arg-type, return-value]
            )
            picked: list[DetectedTrack] = []
            later = self.agent_started_at
            seen: set[Key] = set()
            for track in reversed(earlier):
                assert track.started_at is not None
                if later - track.started_at > gap:
                    break
                later = track.started_at
                key = play_key(track)
                if key not in emitted and key not in seen:
                    seen.add(key)
                    picked.append(track)
            picked.reverse()
            return picked

    def import_plays(self, tracks: Iterable[DetectedTrack]) -> list[Play]:
        """Plays for tracks the DJ chose to import; each is announced only once."""
        plays = []
        with self._lock:
            now = self._clock()
            for track in sorted(tracks, key=lambda t: t.started_at or now):
                key = play_key(track)
                if key in self._emitted:
                    continue
                plays.append(
                    Play(
                        play_id=self._new_id(),
                        track=track,
                        played_at=track.started_at or now,
                        detected_at=now,
                        imported=True,
                    )
                )
                self._emitted.add(key)
                if self._baseline is not None and play_key(self._baseline) == key:
                    self._baseline = None
        return plays

    # -- internals -------------------------------------------------------

    def _repeats_current(self, reading: DetectedTrack, now: datetime) -> bool:
        """Same song as the current play, and not provably a new play of it.

        Without a row reference a source can't tell a rewrite of its file from
        a replay, so the same song right after itself is the same play. With
        one, a replay within min_replay_s is a restart of the same play.
        """
        current = self._current
        if current is None or not same_track(reading, current.track):
            return False
        if reading.source_ref is None:
            return True
        return (reading.started_at or now) - current.played_at < self.min_replay

    def _emit(self, pending: _Pending, now: datetime) -> Play:
        track = pending.track
        play = Play(
            play_id=self._new_id(),
            track=track,
            played_at=track.started_at or pending.first_seen,
            detected_at=now,
        )
        self._emitted.add(pending.key)
        self._current, self._pending = play, None
        return play
