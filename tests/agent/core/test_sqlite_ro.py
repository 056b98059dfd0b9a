import sqlite3
import threading

import pytest

from agent.core.errors import SourceError
from agent.core.sqlite_ro import ReadOnlyDB, is_locked_error, with_retry


def _wal_db(path):
    writer = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("CREATE TABLE plays (id INTEGER PRIMARY KEY, title TEXT)")
    writer.execute("INSERT INTO plays (title) VALUES ('Alpha')")
    return writer


def test_reads_a_wal_database_while_another_connection_writes(tmp_path):
    path = tmp_path / "master.sqlite"
    writer = _wal_db(path)
    db = ReadOnlyDB(path)
    version = db.data_version()
    assert [r["title"] for r in db.query("SELECT title FROM plays")] == ["Alpha"]
    assert (tmp_path / "master.sqlite-wal").exists()  # the write landed in the WAL only

    writer.execute("BEGIN")
    writer.execute("INSERT INTO plays (title) VALUES ('Beta')")
    # An open write transaction neither blocks us nor shows uncommitted rows.
    assert [r["title"] for r in db.query("SELECT title FROM plays")] == ["Alpha"]
    assert db.data_version() == version
    writer.execute("COMMIT")
    assert db.data_version() != version
    assert [r["title"] for r in db.query("SELECT title FROM plays ORDER BY id")] == ["Alpha", "Beta"]
    db.close()
    writer.close()


def test_concurrent_writer_thread_never_breaks_reads(tmp_path):
    path = tmp_path / "mixxxdb.sqlite"
    writer = _wal_db(path)
    done = threading.Event()

    def write_many():
        for i in range(60):
            writer.execute("INSERT INTO plays (title) VALUES (?)", (f"T{i}",))
        done.set()

    db = ReadOnlyDB(path)
    thread = threading.Thread(target=write_many)
    thread.start()
    counts = []
    while not done.is_set() or len(counts) < 3:
        counts.append(db.query("SELECT count(*) FROM plays")[0][0])
    thread.join()
    counts.append(db.query("SELECT count(*) FROM plays")[0][0])
    assert counts == sorted(counts)
    assert counts[-1] == 61
    db.close()
    writer.close()


def test_connection_is_read_only(tmp_path):
    path = tmp_path / "x.sqlite"
    _wal_db(path).close()
    db = ReadOnlyDB(path)
    with pytest.raises(SourceError):
        db.query("INSERT INTO plays (title) VALUES ('nope')")
    db.close()


def test_locked_database_is_retried_with_backoff(tmp_path):
    path = tmp_path / "rollback.sqlite"
    setup = sqlite3.connect(path)
    setup.execute("CREATE TABLE plays (title TEXT)")
    setup.execute("INSERT INTO plays VALUES ('Alpha')")
    setup.commit()
    setup.close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # rollback journal: readers now get "database is locked"
    slept = []

    def sleep(seconds):
        slept.append(seconds)
        if len(slept) == 3:
            holder.execute("COMMIT")

    db = ReadOnlyDB(path, timeout_s=0.01, sleep=sleep)
    assert db.query("SELECT title FROM plays")[0][0] == "Alpha"
    assert slept == [0.1, 0.2, 0.4]
    db.close()
    holder.close()


def test_lock_that_never_clears_becomes_a_source_error():
    def always_locked():
        raise sqlite3.OperationalError("database is locked")

    slept = []
    with pytest.raises(SourceError, match="locked"):
        with_retry(always_locked, retries=5, sleep=slept.append, max_delay_s=0.5)
    assert slept == [0.1, 0.2, 0.4, 0.5, 0.5]
    assert is_locked_error(sqlite3.OperationalError("database table is locked"))
    assert not is_locked_error(sqlite3.OperationalError("no such table: x"))


def test_missing_garbage_and_replaced_files(tmp_path):
    path = tmp_path / "db.sqlite"
    db = ReadOnlyDB(path)
    assert db.query("SELECT 1") == []
    assert db.data_version() is None
    path.write_bytes(b"this is not a database at all, just text" * 100)
    with pytest.raises(SourceError):
        db.query("SELECT * FROM sqlite_master")
    db.close()
    path.unlink()
    _wal_db(tmp_path / "other.sqlite").close()
    (tmp_path / "other.sqlite").rename(path)  # a restored / replaced library
    assert db.query("SELECT title FROM plays")[0][0] == "Alpha"
    assert db.tables() == {"plays"}
    assert db.columns("plays") == {"id", "title"}
    db.close()


def test_path_with_uri_special_characters(tmp_path):
    folder = tmp_path / "Application Support #1 ?x%20"
    folder.mkdir()
    path = folder / "master.sqlite"
    _wal_db(path).close()
    assert ReadOnlyDB(path).query("SELECT title FROM plays")[0][0] == "Alpha"
