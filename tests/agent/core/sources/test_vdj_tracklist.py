"""VirtualDJ History/tracklist.txt (spec §2)."""

import os
from datetime import UTC, datetime, timedelta, timezone

from agent.core.sources.vdj_tracklist import VdjTracklistSource, parse_tracklist

PST = timezone(timedelta(hours=-7))
SPEC = "22:01 : Artist A - Alpha\r\n22:06 : Simon & Garfunkel - Cecilia (Club Edit)\r\n00:03 : Björk - Army of Me\r\n"


def test_spec_example_with_dates_worked_out_backwards_over_midnight():
    modified = datetime(2024, 6, 1, 0, 4, tzinfo=PST)
    tracks = parse_tracklist(SPEC.encode("utf-8"), modified=modified, tz=PST)
    assert [(t.artist, t.title) for t in tracks] == [
        ("Artist A", "Alpha"),
        ("Simon & Garfunkel", "Cecilia (Club Edit)"),
        ("Björk", "Army of Me"),
    ]
    assert tracks[0].started_at == datetime(2024, 5, 31, 22, 1, tzinfo=PST)
    assert tracks[2].started_at == datetime(2024, 6, 1, 0, 3, tzinfo=PST)
    assert tracks[2].source_ref == "line2@00:03"


def test_labelled_tracklist_format():
    line = "23:10 : deck=2 artist=Artist B title=Beta Song filepath=C:\\Music\\Beta Song.mp3\n"
    (track,) = parse_tracklist(line.encode(), modified=datetime(2024, 5, 31, 23, 11, tzinfo=PST), tz=PST)
    assert (track.deck, track.artist, track.title, track.file_path) == (
        "2",
        "Artist B",
        "Beta Song",
        r"C:\Music\Beta Song.mp3",
    )


def test_partial_last_line_and_cp1252():
    data = "22:01 : Björk - Jóga\r\n22:05 : Artist - Half".encode("cp1252")
    tracks = parse_tracklist(data)
    assert [t.title for t in tracks] == ["Jóga"]
    assert tracks[0].started_at is None  # no modification time given


def test_source_reads_last_line(tmp_path):
    home = tmp_path / "VirtualDJ"
    (home / "History").mkdir(parents=True)
    path = home / "History" / "tracklist.txt"
    path.write_bytes(b"\xef\xbb\xbf" + SPEC.encode())
    stamp = datetime(2024, 6, 1, 0, 4, tzinfo=UTC).timestamp()
    os.utime(path, (stamp, stamp))
    source = VdjTracklistSource(home, tz=UTC)
    track = source.read_current()
    assert track.title == "Army of Me"
    assert track.started_at == datetime(2024, 6, 1, 0, 3, tzinfo=UTC)
    assert source.watch_paths() == [home / "History"]
    assert [t.title for t in source.read_history(datetime(2024, 5, 31, 22, 5, tzinfo=UTC))] == [
        "Cecilia (Club Edit)",
        "Army of Me",
    ]
    assert VdjTracklistSource(path).read_current().title == "Army of Me"  # the file itself works too
