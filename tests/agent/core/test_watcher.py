"""The watcher against a real temporary directory (no fixed sleeps: polling waits)."""

import sqlite3
import threading
import time

import pytest
from watchdog.events import FileClosedNoWriteEvent, FileModifiedEvent, FileOpenedEvent

from agent.core.errors import SourceError
from agent.core.sources.m3u import M3uSource
from agent.core.watcher import Watcher, _Hint


class Recorder:
    def __init__(self):
        self.readings = []
        self.errors = []
        self.lock = threading.Lock()

    def reading(self, track):
        with self.lock:
            self.readings.append(track)

    def error(self, exc):
        with self.lock:
            self.errors.append(exc)

    def titles(self):
        with self.lock:
            return [t.title if t else None for t in self.readings]


def playlist(tmp_path, *entries):
    folder = tmp_path / "lists"
    folder.mkdir(exist_ok=True)
    path = folder / "live.m3u"
    path.write_text("#EXTM3U\n" + "".join(f"#EXTINF:1,Artist - {e}\n/m/{e}.mp3\n" for e in entries))
    return folder, path


def append(path, title):
    with path.open("a") as handle:
        handle.write(f"#EXTINF:1,Artist - {title}\n/m/{title}.mp3\n")


@pytest.mark.parametrize("observer", ["native", "polling"])
def test_append_wakes_the_callback_within_two_seconds(tmp_path, wait_until, observer):
    folder, path = playlist(tmp_path, "Alpha")
    seen = Recorder()
    # A slow safety poll, so the file event (or polling observer) is what fires.
    watcher = Watcher(
        M3uSource(folder), seen.reading, debounce_s=0.1, poll_s=30 if observer == "native" else 0.2, observer=observer
    )
    watcher.start()
    try:
        assert wait_until(lambda: seen.titles() == ["Alpha"], timeout=2)
        started = time.monotonic()
        append(path, "Beta")
        assert wait_until(lambda: "Beta" in seen.titles(), timeout=2)
        assert time.monotonic() - started < 2
    finally:
        watcher.stop()
    assert not watcher.running


def test_safety_poll_alone_notices_changes(tmp_path, wait_until):
    folder, path = playlist(tmp_path, "Alpha")
    seen = Recorder()
    watcher = Watcher(M3uSource(folder), seen.reading, debounce_s=0.05, poll_s=0.2, observer="none")
    watcher.start()
    try:
        assert wait_until(lambda: seen.titles() == ["Alpha"])
        append(path, "Beta")
        assert wait_until(lambda: seen.titles()[-1:] == ["Beta"], timeout=2)
    finally:
        watcher.stop()


def test_atomic_replace_and_new_files_are_seen(tmp_path, wait_until):
    folder, path = playlist(tmp_path, "Alpha")
    seen = Recorder()
    watcher = Watcher(M3uSource(folder), seen.reading, debounce_s=0.1, poll_s=30)
    watcher.start()
    try:
        assert wait_until(lambda: seen.titles() == ["Alpha"])
        temp = folder / "tmp.part"
        temp.write_text("#EXTINF:1,Artist - Replaced\n/m/r.mp3\n")
        temp.replace(path)
        assert wait_until(lambda: "Replaced" in seen.titles(), timeout=2)
    finally:
        watcher.stop()


def test_directory_created_after_start_is_watched(tmp_path, wait_until):
    folder = tmp_path / "lists"
    seen = Recorder()
    watcher = Watcher(M3uSource(folder), seen.reading, debounce_s=0.05, poll_s=0.2)
    watcher.start()
    try:
        assert wait_until(lambda: seen.titles() == [None])  # nothing there yet
        folder.mkdir()
        (folder / "set.m3u").write_text("#EXTINF:1,Artist - Late\n/m/late.mp3\n")
        assert wait_until(lambda: "Late" in seen.titles(), timeout=2)
    finally:
        watcher.stop()


def test_bursts_of_events_are_debounced(tmp_path, wait_until):
    folder, path = playlist(tmp_path, "Alpha")
    seen = Recorder()
    watcher = Watcher(M3uSource(folder), seen.reading, debounce_s=0.3, max_wait_s=2, poll_s=30)
    watcher.start()
    try:
        assert wait_until(lambda: len(seen.titles()) == 1)
        for i in range(30):
            append(path, f"T{i}")
        assert wait_until(lambda: seen.titles()[-1] == "T29", timeout=3)
        assert len(seen.titles()) <= 4
    finally:
        watcher.stop()


class FlakySource(M3uSource):
    def __init__(self, path):
        super().__init__(path)
        self.failures = 2
        self.closed = False

    def read_current(self):
        if self.failures:
            self.failures -= 1
            raise SourceError("no permission (macOS Files and Folders)")
        return super().read_current()

    def close(self):
        self.closed = True


def test_errors_are_reported_and_detection_keeps_going(tmp_path, wait_until):
    folder, _ = playlist(tmp_path, "Alpha")
    seen = Recorder()
    source = FlakySource(folder)
    watcher = Watcher(source, seen.reading, on_error=seen.error, debounce_s=0.05, poll_s=0.1, observer="none")
    watcher.start()
    try:
        assert wait_until(lambda: seen.titles() == ["Alpha"], timeout=3)
        # Failed twice, told once: the UI isn't flooded with the same problem.
        assert len(seen.errors) == 1 and isinstance(seen.errors[0], SourceError)
        source.failures = 1
        watcher.read_in(0)
        assert wait_until(lambda: len(seen.errors) == 2)  # after recovering it is news again
        assert wait_until(lambda: seen.titles() == ["Alpha", "Alpha"], timeout=3)
    finally:
        watcher.stop()
    assert source.closed


def test_callback_exceptions_do_not_kill_the_thread(tmp_path, wait_until):
    folder, path = playlist(tmp_path, "Alpha")
    calls = []

    def explode(track):
        calls.append(track)
        raise RuntimeError("UI bug")

    watcher = Watcher(M3uSource(folder), explode, debounce_s=0.05, poll_s=0.1, observer="none")
    watcher.start()
    try:
        assert wait_until(lambda: len(calls) == 1)
        append(path, "Beta")
        assert wait_until(lambda: len(calls) == 2)
        assert watcher.running
    finally:
        watcher.stop()


def test_read_in_schedules_a_recheck(tmp_path, wait_until):
    folder, _ = playlist(tmp_path, "Alpha")
    seen = Recorder()
    watcher = Watcher(M3uSource(folder), seen.reading, poll_s=30, observer="none")
    watcher.start()
    try:
        assert wait_until(lambda: len(seen.titles()) == 1)
        watcher.read_in(0.1)
        assert wait_until(lambda: len(seen.titles()) == 2, timeout=1)
        with pytest.raises(RuntimeError):
            watcher.start()  # one thread per watcher
    finally:
        watcher.stop()
    watcher.stop()  # twice is fine


MIXXX_MINI = """
CREATE TABLE track_locations (id INTEGER PRIMARY KEY, location TEXT);
CREATE TABLE library (id INTEGER PRIMARY KEY, artist TEXT, title TEXT, album TEXT, location INTEGER,
  duration FLOAT, bpm FLOAT, key TEXT);
CREATE TABLE Playlists (id INTEGER PRIMARY KEY, name TEXT, hidden INTEGER DEFAULT 0 NOT NULL);
CREATE TABLE PlaylistTracks (id INTEGER PRIMARY KEY, playlist_id INTEGER, track_id INTEGER, position INTEGER,
  pl_datetime_added);
INSERT INTO library VALUES (1, 'Artist A', 'Alpha', '', NULL, 300, 124, 'Am'), (2, 'Artist B', 'Beta', '', NULL, 300, 126, 'Cm');
INSERT INTO Playlists VALUES (7, '2024-05-31', 2);
INSERT INTO PlaylistTracks (playlist_id, track_id, position, pl_datetime_added) VALUES (7, 1, 1, '2024-05-31 22:01:10');
"""


def test_sqlite_commit_without_file_events_is_caught_by_data_version(tmp_path, wait_until):
    from agent.core.sources.mixxx import MixxxSource

    writer = sqlite3.connect(tmp_path / "mixxxdb.sqlite", isolation_level=None, check_same_thread=False)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.executescript(MIXXX_MINI)
    seen = Recorder()
    watcher = Watcher(MixxxSource(tmp_path), seen.reading, debounce_s=0.05, poll_s=0.2, observer="none")
    watcher.start()
    try:
        assert wait_until(lambda: seen.titles() == ["Alpha"])
        writer.execute(
            "INSERT INTO PlaylistTracks (playlist_id, track_id, position, pl_datetime_added)"
            " VALUES (7, 2, 2, '2024-05-31 22:06:40')"
        )
        assert wait_until(lambda: seen.titles()[-1:] == ["Beta"], timeout=2)
    finally:
        watcher.stop()
        writer.close()


def test_hint_ignores_our_own_reads_and_sqlite_shm():
    wakes = []
    hint = _Hint(lambda: wakes.append(1))
    hint.dispatch(FileOpenedEvent("/x/a.m3u"))
    hint.dispatch(FileClosedNoWriteEvent("/x/a.m3u"))
    hint.dispatch(FileModifiedEvent("/x/master.sqlite-shm"))
    assert wakes == []
    hint.dispatch(FileModifiedEvent("/x/master.sqlite-wal"))
    hint.dispatch(FileModifiedEvent("/x/a.m3u"))
    assert len(wakes) == 2
