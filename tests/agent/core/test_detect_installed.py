import sqlite3
from pathlib import Path

import pytest

from agent.core.detect_installed import detect_installed, make_source
from agent.core.paths import KnownFolders
from agent.core.sources import SOURCES, Serato4Source, VirtualDJSource


def mac_folders(tmp_path):
    return KnownFolders(system="Darwin", home=tmp_path, documents=tmp_path / "Documents", music=tmp_path / "Music")


def test_nothing_installed(tmp_path):
    assert detect_installed(mac_folders(tmp_path)) == []


def test_finds_installed_software_in_preference_order(tmp_path):
    folders = mac_folders(tmp_path)
    (tmp_path / "Library" / "Application Support" / "VirtualDJ" / "History").mkdir(parents=True)
    (tmp_path / "Music" / "_Serato_" / "History" / "Sessions").mkdir(parents=True)
    library = tmp_path / "Library" / "Application Support" / "Serato" / "Library"
    library.mkdir(parents=True)
    sqlite3.connect(library / "master.sqlite").close()
    (tmp_path / "Documents" / "DJUCED").mkdir(parents=True)
    (tmp_path / "Documents" / "DJUCED" / "playing.txt").write_text("")
    found = detect_installed(folders)
    assert [i.name for i in found] == ["virtualdj", "serato4", "serato3", "djuced"]
    assert found[0].path == tmp_path / "Library" / "Application Support" / "VirtualDJ"
    assert not any(i.from_user for i in found)


def test_user_path_overrides_defaults(tmp_path):
    folders = mac_folders(tmp_path)
    (tmp_path / "Documents" / "VirtualDJ" / "History").mkdir(parents=True)
    custom = tmp_path / "Elsewhere" / "VirtualDJ"
    (custom / "History").mkdir(parents=True)
    (tmp_path / "lists").mkdir()
    found = detect_installed(folders, {"virtualdj": custom, "m3u": tmp_path / "lists"})
    assert [(i.name, i.path, i.from_user) for i in found] == [
        ("virtualdj", custom, True),
        ("m3u", tmp_path / "lists", True),
    ]
    # A user path that doesn't exist means "not found", never the default.
    assert detect_installed(folders, {"virtualdj": tmp_path / "typo"}) == []


def test_make_source(tmp_path):
    source = make_source("serato4", tmp_path / "master.sqlite", require_played=False)
    assert isinstance(source, Serato4Source) and source.require_played is False
    assert isinstance(make_source("virtualdj"), VirtualDJSource)
    with pytest.raises(ValueError, match="known"):
        make_source("rekordbox")


def test_every_source_has_the_interface():
    for name, cls in SOURCES.items():
        assert cls.name == name and cls.label
        for method in (
            "default_paths",
            "detect",
            "watch_paths",
            "read_current",
            "read_history",
            "change_token",
            "close",
        ):
            assert callable(getattr(cls, method)), (name, method)
        for system in ("Windows", "Darwin", "Linux"):
            folders = KnownFolders(system=system, home=Path("/h"), documents=Path("/h/D"), music=Path("/h/M"))
            assert isinstance(cls.default_paths(folders), list)


def test_current_machine_folders():
    folders = KnownFolders.current()
    assert folders.documents.is_absolute() and folders.music.is_absolute()
