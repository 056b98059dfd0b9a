"""djay Pro macOS NowPlaying.txt (spec §9)."""

import os
from datetime import UTC, datetime

from agent.core.paths import KnownFolders
from agent.core.sources.djay import DjaySource, parse_now_playing

SPEC = "Title: Alpha\nArtist: Artist A\nAlbum: N/A\nTime: 06:02\n"


def test_spec_example():
    track = parse_now_playing(SPEC.encode())
    assert (track.title, track.artist, track.album, track.duration_s) == ("Alpha", "Artist A", None, 362)


def test_utf16_and_missing_title():
    data = "\ufeffTitle: Jóga\r\nArtist: Björk".encode("utf-16-le")
    assert parse_now_playing(data).artist == "Björk"  # rewritten whole: last line counts
    assert parse_now_playing(b"Title: N/A\nArtist: X\n") is None
    assert parse_now_playing(b"") is None


def test_atomic_replace_and_start_time_from_mtime(tmp_path):
    folder = tmp_path / "Music" / "djay" / "djay Media Library.djayMediaLibrary"
    folder.mkdir(parents=True)
    target = folder / "NowPlaying.txt"
    target.write_text(SPEC)
    stamp = datetime(2024, 5, 31, 22, 1, tzinfo=UTC).timestamp()
    os.utime(target, (stamp, stamp))
    mac = KnownFolders(system="Darwin", home=tmp_path, documents=tmp_path, music=tmp_path / "Music")
    source = DjaySource(folders=mac)
    track = source.read_current()
    assert track.title == "Alpha"
    assert track.started_at == datetime(2024, 5, 31, 22, 1, tzinfo=UTC)
    assert source.watch_paths() == [folder]
    temp = folder / ".NowPlaying.tmp"
    temp.write_text("Title: Beta\nArtist: Artist B\nAlbum: Album B\nTime: 07:00\n")
    os.replace(temp, target)  # how djay (probably) writes it
    assert source.read_current().title == "Beta"
    assert [t.title for t in source.read_history(datetime(2024, 1, 1, tzinfo=UTC))] == ["Beta"]
    windows = KnownFolders(system="Windows", home=tmp_path, documents=tmp_path, music=tmp_path)
    assert DjaySource.default_paths(windows) == []
    assert DjaySource(target).read_current().title == "Beta"
