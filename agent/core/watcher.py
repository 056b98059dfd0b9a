"""When to re-read a source: file events as hints, plus a slow safety poll.

watchdog watches the source's DIRECTORIES (writers replace files atomically,
start new daily files, or write only the SQLite WAL). Any created / modified /
moved / deleted event only schedules a re-read after a short quiet period
(debounce), because writers need a moment to finish (djay commits in two
transactions; a file may be mid-line). Events are unreliable (macOS coalesces
them, network shares send none, a WAL write can fire nothing: WNP #306,
#1401), so a safety poll also compares source.change_token() (stat size +
mtime, PRAGMA data_version) every poll_s seconds.

Readings are delivered on the watcher's own thread through a plain callback;
the UI bridges it (Textual's post_message is thread-safe).
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Literal

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from agent.core.sources.base import Source
from agent.core.track import DetectedTrack

log = logging.getLogger(__name__)

ObserverKind = Literal["native", "polling", "none"]

_WAKE_EVENTS = {"created", "modified", "moved", "deleted", "closed"}
# Our own reads touch these (SQLite shared memory) or they are noise.
_IGNORED_SUFFIXES = ("-shm", "-journal", ".DS_Store")
_NEVER = float("inf")


class _Hint(FileSystemEventHandler):
    def __init__(self, wake: Callable[[], None]) -> None:
        self._wake = wake

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type not in _WAKE_EVENTS:
            return  # opened / closed_no_write: our own reads
        paths = [event.src_path, getattr(event, "dest_path", "")]
        names = [str(p) for p in paths if p]
        if names and all(name.endswith(_IGNORED_SUFFIXES) for name in names):
            return
        self._wake()


class Watcher:
    """Re-reads one source when it may have changed and hands over each reading.

    on_reading(track_or_None) and on_error(exception) are called on the
    watcher thread, one at a time. start() reads once at once.
    """

    def __init__(
        self,
        source: Source,
        on_reading: Callable[[DetectedTrack | None], None],
        *,
        on_error: Callable[[Exception], None] | None = None,
        debounce_s: float = 0.4,
        max_wait_s: float = 2.0,
        poll_s: float = 2.0,
        observer: ObserverKind = "native",
    ) -> None:
        self.source = source
        self._on_reading = on_reading
        self._on_error = on_error
        self.debounce_s = debounce_s
        self.max_wait_s = max_wait_s  # a steady stream of events still gets read
        self.poll_s = poll_s
        self._observer_kind = observer
        self._cond = threading.Condition()
        self._hint_due = _NEVER
        self._hint_first = _NEVER
        self._timer_due = _NEVER
        self._stopping = False
        self._thread: threading.Thread | None = None
        self._observer: BaseObserver | None = None
        self._watched: dict[Path, object] = {}
        self._token: Hashable = object()  # differs from any real token
        self._last_error: str | None = None

    # -- public ----------------------------------------------------------

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("watcher already started")
        self._stopping = False
        if self._observer_kind != "none":
            self._observer = PollingObserver(timeout=self.poll_s) if self._observer_kind == "polling" else Observer()
            self._observer.daemon = True
            self._observer.start()
        self._timer_due = time.monotonic()  # first read right away
        self._thread = threading.Thread(target=self._run, name=f"pika-watch-{self.source.name}", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop watching and close the source; safe to call twice."""
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join(timeout)  # first, so it isn't scheduling watches meanwhile
            self._thread = None
        if self._observer is not None:
            self._observer.stop()
            self._observer.join(timeout)
            self._observer = None
        self._watched.clear()
        self.source.close()

    def hint(self) -> None:
        """Something changed: read after the debounce (a file event, or the UI)."""
        now = time.monotonic()
        with self._cond:
            if self._hint_first == _NEVER:
                self._hint_first = now
            self._hint_due = min(now + self.debounce_s, self._hint_first + self.max_wait_s)
            self._cond.notify_all()

    def read_in(self, delay_s: float) -> None:
        """Read again after delay_s regardless of changes (the detector's re-check)."""
        with self._cond:
            self._timer_due = min(self._timer_due, time.monotonic() + max(0.0, delay_s))
            self._cond.notify_all()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # -- thread ----------------------------------------------------------

    def _run(self) -> None:
        self._ensure_watches()
        next_poll = time.monotonic() + self.poll_s
        while True:
            with self._cond:
                while True:
                    if self._stopping:
                        return
                    now = time.monotonic()
                    due = min(self._hint_due, self._timer_due, next_poll)
                    if due <= now:
                        break
                    self._cond.wait(due - now)
                do_read = False
                if self._hint_due <= now or self._timer_due <= now:
                    do_read = True
                    self._hint_due = self._hint_first = self._timer_due = _NEVER
                do_poll = next_poll <= now
                if do_poll:
                    next_poll = now + self.poll_s
            if do_read:
                self._read()
            if do_poll:
                self._poll()

    def _poll(self) -> None:
        self._ensure_watches()
        token = self._guard(self.source.change_token)
        if token is not _FAILED and token != self._token:
            self.hint()

    def _read(self) -> None:
        # Token first: a change landing during the read triggers another read.
        token = self._guard(self.source.change_token)
        reading = self._guard(self.source.read_current)
        if reading is _FAILED:
            self._token = object()  # so the next safety poll retries
            return
        self._last_error = None  # recovered: the next failure is news again
        if token is not _FAILED:
            self._token = token
        try:
            self._on_reading(reading)  # type: ignore[arg-type]
        except Exception:  # the UI's bug must not stop detection
            log.exception("on_reading callback failed")

    def _guard(self, action: Callable[[], object]) -> object:
        try:
            return action()
        except Exception as exc:  # retried on the next poll; reported once per new problem
            problem = f"{type(exc).__name__}: {exc}"
            if problem == self._last_error:
                return _FAILED
            self._last_error = problem
            if self._on_error is not None:
                try:
                    self._on_error(exc)
                except Exception:
                    log.exception("on_error callback failed")
            else:
                log.warning("source %s: %s", self.source.name, exc)
            return _FAILED

    def _ensure_watches(self) -> None:
        """Watch each source directory; ones missing at start are retried every poll."""
        observer = self._observer
        if observer is None:
            return
        for directory, watch in list(self._watched.items()):
            if not directory.is_dir():  # deleted: watch it again once it is back
                with contextlib.suppress(KeyError, OSError):
                    observer.unschedule(watch)  # type: ignore[arg-type]
                del self._watched[directory]
        wanted = self._guard(self.source.watch_paths)
        if wanted is _FAILED:
            return
        for directory in wanted:  # type: ignore[union-attr]
            if directory in self._watched or not directory.is_dir():
                continue
            try:
                self._watched[directory] = observer.schedule(_Hint(self.hint), str(directory), recursive=False)
            except OSError as exc:  # e.g. inotify watch limit: the poll still covers it
                log.warning("cannot watch %s: %s", directory, exc)


_FAILED = object()
