"""Serato 4 master.sqlite, in WAL mode, written by another connection (spec §5)."""

import sqlite3
from datetime import UTC, datetime

import pytest

from agent.core.errors import SourceError
from agent.core.paths import KnownFolders
from agent.core.sources.serato4 import Serato4Source

SCHEMA_AND_ROWS = """
CREATE TABLE history_session (id INTEGER PRIMARY KEY AUTOINCREMENT, start_time INTEGER NOT NULL, end_time INTEGER, name TEXT);
CREATE TABLE location (id INTEGER PRIMARY KEY, path TEXT, uuid BLOB);
CREATE TABLE connection (location_id INTEGER PRIMARY KEY NOT NULL, database_uri TEXT NOT NULL);
CREATE TABLE asset (id INTEGER PRIMARY KEY, location_id INTEGER, portable_id TEXT, type_specific_data TEXT);
CREATE TABLE history_entry (id INTEGER PRIMARY KEY AUTOINCREMENT, session_id INTEGER NOT NULL DEFAULT -1,
  location_id INTEGER, asset_id INTEGER DEFAULT -1, portable_id TEXT NOT NULL DEFAULT '', file_name TEXT,
  artist TEXT NOT NULL DEFAULT '', name TEXT NOT NULL DEFAULT '', album TEXT NOT NULL DEFAULT '',
  genre TEXT NOT NULL DEFAULT '', key TEXT NOT NULL DEFAULT '', bpm REAL, length_sec INTEGER,
  start_time INTEGER NOT NULL, end_time INTEGER DEFAULT -1, played INTEGER NOT NULL DEFAULT 0, deck TEXT NOT NULL DEFAULT '');
INSERT INTO location VALUES (1, '', x'00');
INSERT INTO connection VALUES (1, '/Users/dj/Library/Application Support/Serato/Library/root.sqlite');
INSERT INTO history_session VALUES (41, 1700000000, 1700003600, 'Friday'), (42, 1700090000, 0, 'Saturday');
INSERT INTO history_entry (session_id,location_id,portable_id,file_name,artist,name,album,genre,key,bpm,length_sec,start_time,end_time,played,deck) VALUES
 (41,1,'Users/dj/Music/old.mp3','old.mp3','Old Artist','Old Song','','House','Am',122,300,1700000100,1700000400,1,'1'),
 (42,1,'Users/dj/Music/a.mp3','a.mp3','Artist A','Alpha','Album A','Techno','Am',124.0,360,1700090100,-1,1,'1'),
 (42,1,'Users/dj/Music/b.mp3','b.mp3','Artist B','Beta','Album B','Techno','Cm',126.0,420,1700090400,-1,0,'2'),
 (42,1,'Users/dj/Music/c.mp3','c.mp3','Artist C','Gamma','','Techno','5A',125.5,390,1700090460,-1,1,'2');
"""


@pytest.fixture
def serato(tmp_path):
    library = tmp_path / "Serato" / "Library"
    library.mkdir(parents=True)
    writer = sqlite3.connect(library / "master.sqlite", isolation_level=None, check_same_thread=False)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.executescript(SCHEMA_AND_ROWS)
    yield library, writer
    writer.close()


def test_open_session_played_newest_per_deck(serato):
    library, _ = serato
    source = Serato4Source(library)
    track = source.read_current()
    # Deck 1 → Alpha, deck 2 → Gamma (Beta was loaded, never played); newest deck wins.
    assert (track.artist, track.title, track.deck) == ("Artist C", "Gamma", "2")
    assert track.bpm == 125.5 and track.key == "5A" and track.duration_s == 390
    assert track.started_at == datetime.fromtimestamp(1700090460, UTC)
    assert track.file_path == "/Users/dj/Music/c.mp3"
    assert track.source_ref == "4"
    source.mix_mode = "oldest"
    assert source.read_current().title == "Alpha"
    source.close()


def test_require_played_can_be_turned_off(serato):
    library, writer = serato
    writer.execute(
        "INSERT INTO history_entry (session_id,location_id,portable_id,artist,name,start_time,played,deck)"
        " VALUES (42,1,'streaming://tidal/123','Artist D','Delta',1700090500,0,'1')"
    )
    assert Serato4Source(library).read_current().title == "Gamma"
    loaded = Serato4Source(library, require_played=False).read_current()
    assert (loaded.title, loaded.file_path) == ("Delta", "streaming://tidal/123")


def test_sees_commits_of_another_connection_via_data_version(serato):
    library, writer = serato
    source = Serato4Source(library)
    token = source.change_token()
    assert source.change_token() == token  # nothing committed
    writer.execute("BEGIN")
    writer.execute(
        "INSERT INTO history_entry (session_id,location_id,portable_id,artist,name,start_time,played,deck)"
        " VALUES (42,1,'Users/dj/Music/e.mp3','Artist E','Epsilon',1700090700,1,'1')"
    )
    assert source.read_current().title == "Gamma"  # not committed yet
    writer.execute("COMMIT")
    assert source.change_token() != token
    assert source.read_current().title == "Epsilon"
    source.close()


def test_played_flag_set_later_on_the_same_row(serato):
    library, writer = serato
    source = Serato4Source(library)
    writer.execute("UPDATE history_entry SET played = 1 WHERE name = 'Beta'")
    writer.execute("UPDATE history_entry SET start_time = 1700090600 WHERE name = 'Beta'")
    assert source.read_current().title == "Beta"


def test_no_open_session_and_history(serato):
    library, writer = serato
    source = Serato4Source(library)
    history = source.read_history(datetime.fromtimestamp(1700000000, UTC))
    assert [t.title for t in history] == ["Old Song", "Alpha", "Gamma"]
    writer.execute("UPDATE history_session SET end_time = 1700099999 WHERE id = 42")
    assert source.read_current() is None


def test_external_drive_location_and_missing_db(tmp_path, serato):
    library, writer = serato
    writer.execute("INSERT INTO connection VALUES (2, '/Volumes/USB/_Serato_/Library/location.sqlite')")
    writer.execute(
        "INSERT INTO history_entry (session_id,location_id,portable_id,artist,name,start_time,played,deck)"
        " VALUES (42,2,'Music/f.mp3','Artist F','Phi',1700090800,1,'1')"
    )
    assert Serato4Source(library).read_current().file_path == "/Volumes/USB/Music/f.mp3"
    assert Serato4Source(tmp_path / "nothing").read_current() is None
    assert Serato4Source(tmp_path / "nothing").change_token() is None


def test_not_a_database_is_a_source_error(tmp_path):
    path = tmp_path / "master.sqlite"
    path.write_bytes(b"\x00garbage" * 200)
    with pytest.raises(SourceError):
        Serato4Source(path).read_current()


def test_default_paths(tmp_path):
    mac = KnownFolders(system="Darwin", home=tmp_path, documents=tmp_path / "Documents", music=tmp_path / "Music")
    assert Serato4Source.default_paths(mac) == [
        tmp_path / "Library" / "Application Support" / "Serato" / "Library",
        tmp_path / "Music" / "Serato" / "Library",
    ]
    win = KnownFolders(
        system="Windows",
        home=tmp_path,
        documents=tmp_path,
        music=tmp_path,
        appdata=tmp_path / "Roaming",
        local_appdata=tmp_path / "Local",
    )
    assert Serato4Source.default_paths(win) == [
        tmp_path / "Roaming" / "Serato" / "Library",
        tmp_path / "Local" / "Serato" / "Library",
    ]
