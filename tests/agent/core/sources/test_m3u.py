"""Generic M3U/M3U8 folders (spec §3)."""

import os
import time
from datetime import UTC, datetime

from agent.core.sources.m3u import M3uSource, parse_m3u

SPEC = "#EXTM3U\n#EXTINF:215,Artist A - Alpha\n/music/Artist A/Alpha.flac\n#EXTINF\n../relative/Beta.m4a\n"


def test_spec_example_extinf_and_relative_path():
    alpha, beta = parse_m3u(SPEC.encode(), base_dir="/music/lists", ref_prefix="set.m3u")
    assert (alpha.artist, alpha.title, alpha.duration_s) == ("Artist A", "Alpha", 215)
    assert alpha.file_path == "/music/Artist A/Alpha.flac"
    assert (beta.artist, beta.title) == ("", "Beta")  # bare #EXTINF: title from the file name
    assert beta.file_path == "/music/relative/Beta.m4a"
    assert beta.source_ref == "set.m3u#1"


def test_file_urls_windows_paths_and_streams():
    data = (
        b"#EXTINF:-1,Artist C - Gamma\nfile:///C:/Music/Artist%20C%20-%20Gamma.mp3\n"
        b"C:\\Music\\Artist D - Delta.mp3\n"
        b"https://stream.example/radio\n"
    )
    gamma, delta = parse_m3u(data, base_dir="/x")
    assert gamma.file_path == "C:/Music/Artist C - Gamma.mp3"
    assert gamma.duration_s is None
    assert (delta.artist, delta.title) == ("Artist D", "Delta")


def test_folder_source_takes_last_entry_of_newest_playlist(tmp_path):
    old = tmp_path / "old.m3u"
    old.write_text("#EXTINF:1,Old - Song\nold.mp3\n")
    past = time.time() - 100
    os.utime(old, (past, past))
    live = tmp_path / "live.m3u8"
    live.write_bytes(SPEC.encode())
    source = M3uSource(tmp_path)
    assert source.read_current().title == "Beta"
    assert source.watch_paths() == [tmp_path]
    with live.open("ab") as handle:
        handle.write(b"#EXTINF:200,Artist E - Epsilon\n/music/e.mp3")  # no newline yet
    assert source.read_current().title == "Beta"
    with live.open("ab") as handle:
        handle.write(b"\n")
    assert source.read_current().title == "Epsilon"
    since = datetime.fromtimestamp(past + 50, UTC)
    assert [t.title for t in source.read_history(since)] == ["Alpha", "Beta", "Epsilon"]
    assert M3uSource(live).read_current().title == "Epsilon"
    assert M3uSource(tmp_path / "missing").read_current() is None
