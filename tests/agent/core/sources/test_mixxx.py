"""Mixxx set log in mixxxdb.sqlite, WAL mode, another connection writing (spec §8)."""

import sqlite3
import threading
from datetime import UTC, datetime

import pytest

from agent.core.paths import KnownFolders
from agent.core.sources.mixxx import MixxxSource, parse_mixxx_time

FIXTURE = """
CREATE TABLE track_locations (id INTEGER PRIMARY KEY AUTOINCREMENT, location varchar(512) UNIQUE, filename varchar(512), directory varchar(512), filesize INTEGER, fs_deleted INTEGER, needs_verification INTEGER);
CREATE TABLE library (id INTEGER PRIMARY KEY AUTOINCREMENT, artist varchar(64), title varchar(64), album varchar(64), year varchar(16), genre varchar(64), location INTEGER REFERENCES track_locations(id), duration FLOAT, bpm FLOAT, key varchar(8) DEFAULT '', mixxx_deleted INTEGER, timesplayed INTEGER DEFAULT 0);
CREATE TABLE Playlists (id INTEGER PRIMARY KEY, name varchar(48), position INTEGER, hidden INTEGER DEFAULT 0 NOT NULL, date_created datetime, date_modified datetime, locked INTEGER DEFAULT 0);
CREATE TABLE PlaylistTracks (id INTEGER PRIMARY KEY, playlist_id INTEGER REFERENCES Playlists(id), track_id INTEGER REFERENCES library(id), position INTEGER, pl_datetime_added);
INSERT INTO track_locations VALUES (1,'/home/dj/Music/Artist A - Alpha.flac','Artist A - Alpha.flac','/home/dj/Music',1,0,0),(2,'/home/dj/Music/Artist B - Beta.mp3','Artist B - Beta.mp3','/home/dj/Music',1,0,0),(3,'/home/dj/Music/Artist C - Gamma.mp3','Artist C - Gamma.mp3','/home/dj/Music',1,0,0);
INSERT INTO library (id,artist,title,album,genre,location,duration,bpm,key) VALUES (1,'Artist A','Alpha','Album A','House',1,362.5,124.0,'Am'),(2,'Artist B','Beta','','House',2,401.0,125.98,'8B'),(3,'Artist C','Gamma','','House',3,300.0,126.0,'C');
INSERT INTO Playlists (id,name,position,hidden,date_created,date_modified) VALUES (1,'Auto DJ',0,1,'2024-05-31 20:00:00','2024-05-31 20:00:00'),(7,'2024-05-31',1,2,'2024-05-31 20:00:00','2024-05-31 22:10:00'),(8,'Peak time crate',2,0,'2024-05-01 10:00:00','2024-05-31 22:30:00');
INSERT INTO PlaylistTracks (playlist_id,track_id,position,pl_datetime_added) VALUES (7,1,1,'2024-05-31 22:01:10'),(7,2,2,'2024-05-31 22:06:40'),(8,3,1,'2024-05-31 22:30:00');
"""


@pytest.fixture
def mixxx(tmp_path):
    folder = tmp_path / ".mixxx"
    folder.mkdir()
    writer = sqlite3.connect(folder / "mixxxdb.sqlite", isolation_level=None, check_same_thread=False)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.executescript(FIXTURE)
    yield folder, writer
    writer.close()


def test_only_the_set_log_counts(mixxx):
    folder, _ = mixxx
    track = MixxxSource(folder).read_current()
    # Gamma is newer but sits in a normal playlist (the trap); Beta is the set log's last.
    assert (track.artist, track.title, track.bpm, track.key) == ("Artist B", "Beta", 125.98, "8B")
    assert track.started_at == datetime(2024, 5, 31, 22, 6, 40, tzinfo=UTC)
    assert track.file_path == "/home/dj/Music/Artist B - Beta.mp3"
    assert track.duration_s == 401.0


def test_new_set_log_rows_from_another_connection(mixxx):
    folder, writer = mixxx
    source = MixxxSource(folder / "mixxxdb.sqlite")
    token = source.change_token()

    def play_more():
        for track_id in (1, 3, 1):
            writer.execute(
                "INSERT INTO PlaylistTracks (playlist_id,track_id,position,pl_datetime_added)"
                " VALUES (7, ?, 9, CURRENT_TIMESTAMP)",
                (track_id,),
            )

    thread = threading.Thread(target=play_more)
    thread.start()
    seen = set()
    while thread.is_alive():
        current = source.read_current()
        seen.add(current.title)
    thread.join()
    assert source.change_token() != token
    final = source.read_current()
    assert final.title == "Alpha"
    assert seen <= {"Beta", "Alpha", "Gamma"}
    history = source.read_history(datetime(2024, 5, 31, 22, 5, tzinfo=UTC))
    assert [t.title for t in history] == ["Beta", "Alpha", "Gamma", "Alpha"]
    assert len({t.source_ref for t in history}) == 4  # the same song twice = two plays
    source.close()


def test_time_parsing():
    assert parse_mixxx_time("2024-05-31 22:01:10") == datetime(2024, 5, 31, 22, 1, 10, tzinfo=UTC)
    assert parse_mixxx_time("2024-05-31T22:01:10.500Z") == datetime(2024, 5, 31, 22, 1, 10, 500000, tzinfo=UTC)
    assert parse_mixxx_time("garbage") is None
    assert parse_mixxx_time(None) is None


def test_default_paths(tmp_path):
    mac = KnownFolders(system="Darwin", home=tmp_path, documents=tmp_path, music=tmp_path)
    assert MixxxSource.default_paths(mac)[0] == (
        tmp_path / "Library/Containers/org.mixxx.mixxx/Data/Library/Application Support/Mixxx"
    )
    win = KnownFolders(
        system="Windows", home=tmp_path, documents=tmp_path, music=tmp_path, local_appdata=tmp_path / "L"
    )
    assert MixxxSource.default_paths(win) == [tmp_path / "L" / "Mixxx"]
    linux = KnownFolders(system="Linux", home=tmp_path, documents=tmp_path, music=tmp_path, xdg_data=tmp_path / "share")
    assert MixxxSource.default_paths(linux) == [tmp_path / ".mixxx", tmp_path / "share" / "mixxx"]
