"""Serato ≤ 3 binary session files, appended to the way Serato does (spec §4)."""

import base64
import os
import time
from datetime import UTC, datetime

from agent.core.paths import KnownFolders
from agent.core.sources.serato3 import Serato3Source, current_from_entries, iter_chunks, parse_session

SPEC_SESSION = base64.b64decode(
    "dnJzbgAAABQAMQAuADAALwBTAGUAcgBhAHQAb29lbnQAAABnYWRhdAAAAF8AAAABAAAABAAAAAcA"
    "AAAGAAAADABBAGwAcABoAGEAAAAAAAcAAAAKAEQASgAgAEEAAAAAABwAAAAEZVPxAAAAAB8AAAAE"
    "AAAAAQAAADIAAAABAQAAADUAAAAEZVPxHg=="
)


def chunk(tag: bytes, payload: bytes) -> bytes:
    return tag + len(payload).to_bytes(4, "big") + payload


def field(field_id: int, value: bytes) -> bytes:
    return field_id.to_bytes(4, "big") + len(value).to_bytes(4, "big") + value


def utf16(text: str) -> bytes:
    return text.encode("utf-16-be") + b"\x00\x00"


def header() -> bytes:
    return chunk(b"vrsn", "1.0/Serato".encode("utf-16-be"))


def row(
    row_id, title, artist, start, deck, played, *, updated=None, wide=False, path=None, bpm=None, key=None, length=None
) -> bytes:
    size = 8 if wide else 4  # Windows 2.5 / Tidal files use u64 times, mac 2.4 u32
    body = field(1, row_id.to_bytes(4, "big")) + field(6, utf16(title)) + field(7, utf16(artist))
    if path is not None:
        body += field(2, utf16(path))
    if length is not None:
        body += field(10, utf16(length))
    if bpm is not None:
        body += field(15, bpm.to_bytes(4, "big"))
    body += field(28, start.to_bytes(size, "big")) + field(31, deck.to_bytes(4, "big"))
    body += field(50, bytes([played]))
    if key is not None:
        body += field(51, utf16(key))
    if updated is not None:
        body += field(53, updated.to_bytes(size, "big"))
    return chunk(b"oent", chunk(b"adat", body))


def deleted(row_id) -> bytes:
    return chunk(b"oren", chunk(b"uent", row_id.to_bytes(4, "big")))


def test_builder_matches_the_spec_bytes():
    assert header() + row(7, "Alpha", "DJ A", 1700000000, 1, 1, updated=1700000030) == SPEC_SESSION


def test_spec_example():
    (entry,) = parse_session(SPEC_SESSION)
    track = entry.track
    assert (entry.row, entry.played, track.title, track.artist, track.deck) == (7, True, "Alpha", "DJ A", "1")
    assert track.started_at == datetime.fromtimestamp(1700000000, UTC)
    assert track.source_ref == "7"


def test_updated_copies_of_a_row_collapse_and_the_last_wins():
    data = header() + row(8, "Beta", "DJ B", 1700000300, 2, 0, wide=True)  # loaded, not played
    data += row(9, "Gamma", "DJ C", 1700000400, 1, 0, wide=True)
    data += row(8, "Beta", "DJ B", 1700000300, 2, 1, wide=True, bpm=126, key="C#m")  # now played
    entries = parse_session(data)
    assert [(e.row, e.played) for e in entries] == [(8, True), (9, False)]
    assert entries[0].track.bpm == 126.0 and entries[0].track.key == "C#m"
    assert current_from_entries(entries).title == "Beta"  # Gamma isn't played
    assert current_from_entries(entries, require_played=False).title == "Gamma"


def test_truncated_last_chunk_is_not_an_error():
    complete = header() + row(1, "Alpha", "A", 1700000000, 1, 1)
    appended = row(2, "Beta", "B", 1700000300, 2, 1)
    for cut in range(1, len(appended)):
        entries = parse_session(complete + appended[:cut])
        assert [e.track.title for e in entries] == ["Alpha"], cut
    assert [e.track.title for e in parse_session(complete + appended)] == ["Alpha", "Beta"]
    assert list(iter_chunks(b"oent\xff\xff\xff\xff")) == []


def test_deleted_rows_and_mac_nfd_strings():
    data = header() + row(
        1, "Jo\u0301ga", "Bjo\u0308rk", 1700000000, 1, 1, path="/Users/dj/Music/Bjo\u0308rk/Jo\u0301ga.mp3"
    )
    data += row(2, "Unwanted", "X", 1700000100, 2, 1) + deleted(2)
    (entry,) = parse_session(data)
    assert (entry.track.artist, entry.track.title) == ("Björk", "Jóga")
    assert entry.track.file_path == "/Users/dj/Music/Björk/Jóga.mp3"


def test_fields_length_and_unknown_fields_are_skipped():
    body = field(1, (3).to_bytes(4, "big")) + field(6, utf16("Alpha")) + field(99, b"\x01\x02\x03")
    body += (
        field(10, utf16("03:45.50")) + field(28, (1700000000).to_bytes(4, "big")) + field(31, (1).to_bytes(4, "big"))
    )
    (entry,) = parse_session(header() + chunk(b"oent", chunk(b"adat", body)))
    assert entry.track.duration_s == 225.5
    assert entry.played is False  # no played field at all


def test_per_deck_newest_mix_modes_and_deck_skip():
    data = header() + row(1, "Alpha", "A", 1700000000, 1, 1) + row(2, "Beta", "B", 1700000300, 2, 1)
    data += row(3, "Sample", "S", 1700000400, 3, 1)
    entries = parse_session(data)
    assert current_from_entries(entries).title == "Sample"
    assert current_from_entries(entries, skip_decks=["3"]).title == "Beta"
    assert current_from_entries(entries, mode="oldest").title == "Alpha"


def make_sessions(tmp_path, sessions):
    folder = tmp_path / "_Serato_" / "History" / "Sessions"
    folder.mkdir(parents=True)
    for name, data in sessions.items():
        (folder / name).write_bytes(data)
    return tmp_path / "_Serato_"


def test_source_picks_the_highest_numbered_session(tmp_path):
    root = make_sessions(
        tmp_path,
        {
            "9.session": header() + row(1, "Old", "A", 1600000000, 1, 1),
            "10.session": header() + row(1, "Alpha", "A", 1700000000, 1, 1),
        },
    )
    older = time.time() + 10
    os.utime(root / "History" / "Sessions" / "9.session", (older, older))  # mtime must not matter
    source = Serato3Source(root)
    assert source.read_current().title == "Alpha"
    assert source.watch_paths() == [root / "History" / "Sessions"]
    token = source.change_token()
    with (root / "History" / "Sessions" / "10.session").open("ab") as handle:
        handle.write(row(2, "Beta", "B", 1700000300, 2, 1))
    assert source.change_token() != token
    assert source.read_current().title == "Beta"
    history = source.read_history(datetime.fromtimestamp(1650000000, UTC))
    assert [t.title for t in history] == ["Alpha", "Beta"]
    assert Serato3Source(root / "History" / "Sessions").read_current().title == "Beta"


def test_default_paths_follow_the_music_folder(tmp_path):
    win = KnownFolders(system="Windows", home=tmp_path, documents=tmp_path / "D", music=tmp_path / "OneDrive" / "Music")
    assert Serato3Source.default_paths(win) == [tmp_path / "OneDrive" / "Music" / "_Serato_"]
    linux = KnownFolders(system="Linux", home=tmp_path, documents=tmp_path, music=tmp_path)
    assert Serato3Source.default_paths(linux) == []
