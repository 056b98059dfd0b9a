"""DJUCED playing.txt, one line per deck (spec §10)."""

import os
import sqlite3
import time

from agent.core.sources.djuced import DjucedSource, parse_playing

SPEC = "Alpha | 1 | Artist A | Album A\nBeta | 2 | Artist B | Album B\n"


def test_parse_lines():
    lines = parse_playing(SPEC.encode() + b"Gamma | 2 | Artist C | \nbroken line\n | 3 | no title | x\n")
    assert [(line.deck, line.title, line.artist, line.album) for line in lines] == [
        ("1", "Alpha", "Artist A", "Album A"),
        ("2", "Beta", "Artist B", "Album B"),
        ("2", "Gamma", "Artist C", ""),
    ]


def _write(path, text, stamp):
    path.write_text(text, encoding="utf-8")
    os.utime(path, (stamp, stamp))


def test_a_change_on_a_deck_is_a_new_track(tmp_path):
    folder = tmp_path / "DJUCED"
    folder.mkdir()
    target = folder / "playing.txt"
    now = time.time()
    _write(target, SPEC, now - 30)
    source = DjucedSource(folder)
    first = source.read_current()
    assert first.title in {"Alpha", "Beta"}  # both decks appeared at once
    assert source.read_current() == first  # re-reading changes nothing
    _write(target, "Alpha | 1 | Artist A | Album A\nGamma | 2 | Artist C | \n", now - 10)
    track = source.read_current()
    assert (track.title, track.deck, track.album) == ("Gamma", "2", None)
    assert abs(track.started_at.timestamp() - (now - 10)) < 1
    _write(target, "Delta | 1 | Artist D | \nGamma | 2 | Artist C | \n", now)
    assert source.read_current().title == "Delta"
    source.mix_mode = "oldest"
    assert source.read_current().title == "Gamma"
    # A half-written file without deck 2 keeps deck 2's track.
    _write(target, "Delta | 1 | Artist D | \n", now)
    assert source.read_current().title == "Gamma"


def test_enriched_from_djuced_db_when_present(tmp_path):
    folder = tmp_path / "DJUCED"
    folder.mkdir()
    (folder / "playing.txt").write_text(SPEC)
    source = DjucedSource(folder / "playing.txt", skip_decks=["1"])
    assert source.read_current().bpm is None  # no DJUCED.db yet: the track still comes through
    db = sqlite3.connect(folder / "DJUCED.db")
    db.execute("CREATE TABLE tracks (artist, title, album, bpm, key, absolutepath, length)")
    db.execute("INSERT INTO tracks VALUES ('Artist C', 'Gamma', '', 125.0, '5A', '/m/g.mp3', 390)")
    db.commit()
    db.close()
    (folder / "playing.txt").write_text("Alpha | 1 | Artist A | Album A\nGamma | 2 | Artist C | \n")
    track = source.read_current()
    assert (track.title, track.bpm, track.key, track.file_path, track.duration_s) == (
        "Gamma",
        125.0,
        "5A",
        "/m/g.mp3",
        390,
    )
    source.close()
