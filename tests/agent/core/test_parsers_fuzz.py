"""Property tests: arbitrary bytes never crash a parser (they yield nothing or skip)."""

import os
import sqlite3
import tempfile
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from agent.core.errors import SourceError
from agent.core.sources.djay import parse_now_playing
from agent.core.sources.djuced import parse_playing
from agent.core.sources.m3u import parse_m3u
from agent.core.sources.mixxx import MixxxSource
from agent.core.sources.serato3 import current_from_entries, parse_session
from agent.core.sources.serato4 import Serato4Source
from agent.core.sources.traktor import parse_history_nml, traktor_start
from agent.core.sources.vdj_database import parse_vdj_database
from agent.core.sources.vdj_tracklist import parse_tracklist
from agent.core.textio import split_lines
from agent.core.track import DetectedTrack

# PIKA_FUZZ_EXAMPLES=5000 for a deeper run than the default quick one.
EXAMPLES = int(os.environ.get("PIKA_FUZZ_EXAMPLES", "150"))
FAST = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _tracks_ok(tracks):
    for track in tracks:
        assert isinstance(track, DetectedTrack)
        assert track.title  # a parser never reports a track without a title


@FAST
@given(st.binary(max_size=2048), st.booleans())
def test_text_and_m3u_parsers(data, complete_only):
    split_lines(data, complete_only=complete_only)
    _tracks_ok(parse_m3u(data, complete_only=complete_only, base_dir="/x"))
    _tracks_ok(parse_tracklist(data, complete_only=complete_only))
    assert all(line.title and line.deck.isdigit() for line in parse_playing(data))
    track = parse_now_playing(data)
    assert track is None or track.title


# Text made of the formats' own building blocks finds deeper paths than random bytes.
_PIECES = st.sampled_from(
    [
        "#EXTVDJ:",
        "<artist>",
        "</artist>",
        "<title>",
        "</title>",
        "<lastplaytime>",
        "</lastplaytime>",
        "<time>",
        "</time>",
        "<remix>",
        "</remix>",
        "&amp;",
        "&#",
        "&#x",
        ";",
        "#EXTINF:",
        "-1,",
        " - ",
        "\r\n",
        "\n",
        "C:\\Music\\",
        "netsearch://dz1",
        "file:///",
        "99999999999999",
        "23:59",
        " : ",
        "Title: ",
        "Artist: ",
        "N/A",
        " | ",
        "1",
        "Björk",
        "\ufeff",
        "=",
        "title=",
        "deck=",
    ]
)


@FAST
@given(st.lists(_PIECES, max_size=40).map("".join), st.sampled_from(["utf-8", "utf-16-le", "cp1252"]))
def test_structured_text(text, encoding):
    data = text.encode(encoding, errors="replace")
    _tracks_ok(parse_m3u(data, complete_only=False))
    _tracks_ok(parse_tracklist(data, complete_only=False))
    parse_playing(data)
    parse_now_playing(data)


def _chunk(tag, payload):
    return tag + len(payload).to_bytes(4, "big") + payload


_FIELD = st.tuples(st.sampled_from([1, 2, 6, 7, 10, 15, 28, 31, 50, 51, 53, 99]), st.binary(max_size=24)).map(
    lambda f: f[0].to_bytes(4, "big") + len(f[1]).to_bytes(4, "big") + f[1]
)
_SESSION_CHUNK = st.one_of(
    st.lists(_FIELD, max_size=8).map(lambda fs: _chunk(b"oent", _chunk(b"adat", b"".join(fs)))),
    st.binary(max_size=8).map(lambda b: _chunk(b"oren", _chunk(b"uent", b))),
    st.tuples(st.sampled_from([b"vrsn", b"oent", b"adat", b"zzzz"]), st.binary(max_size=32)).map(lambda t: _chunk(*t)),
)


@FAST
@given(st.binary(max_size=2048))
def test_serato_session_random_bytes(data):
    entries = parse_session(data)
    current_from_entries(entries, require_played=False)


@FAST
@given(st.lists(_SESSION_CHUNK, max_size=10).map(b"".join), st.integers(min_value=0, max_value=400))
def test_serato_session_structured_and_cut_anywhere(data, cut):
    for sample in (data, data[: max(0, len(data) - cut)]):
        current_from_entries(parse_session(sample), require_played=False)


@FAST
@given(st.binary(max_size=2048))
def test_xml_parsers(data):
    parse_vdj_database(data)
    _tracks_ok(parse_history_nml(data))
    prefix = b'<?xml version="1.0"?><VirtualDJ_Database><Song FilePath="x"><Tags Title="t"/><Scan Bpm="'
    parse_vdj_database(prefix + data)
    _tracks_ok(parse_history_nml(b"<NML><PLAYLISTS><PLAYLIST><ENTRY>" + data))


@FAST
@given(
    st.integers(min_value=-(2**40), max_value=2**40).map(str),
    st.one_of(st.floats(allow_nan=True).map(str), st.text(max_size=6)),
    st.sampled_from([None, UTC, timezone(timedelta(hours=14)), timezone(timedelta(hours=-12))]),
)
def test_traktor_times_and_track_times_never_crash(startdate, starttime, tz):
    started = traktor_start(startdate, starttime, tz)
    track = DetectedTrack(title="x", started_at=started)
    assert track.started_at is None or track.started_at.tzinfo is not None


@FAST
@given(st.binary(max_size=64), st.datetimes(timezones=st.just(timezone(timedelta(hours=14)))))
@example(b"", datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14))))
@example(b"", datetime(9999, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=14))))
def test_tracklist_dates_near_the_calendar_edges(data, modified):
    parse_tracklist(b"00:01 : A - B\n23:59 : C - D\n" + data, modified=modified, tz=timezone(timedelta(hours=-12)))


@settings(max_examples=25, deadline=None)
@given(st.binary(min_size=1, max_size=4096))
def test_sqlite_sources_on_garbage_files(data):
    with tempfile.TemporaryDirectory() as folder:
        for cls, name in ((Serato4Source, "master.sqlite"), (MixxxSource, "mixxxdb.sqlite")):
            path = Path(folder) / name
            path.write_bytes(data)
            source = cls(path)
            try:
                assert source.read_current() is None
            except SourceError:
                pass  # reported to the DJ, never a crash
            finally:
                source.close()


def test_sqlite_sources_on_a_valid_but_foreign_database(tmp_path):
    path = tmp_path / "master.sqlite"
    sqlite3.connect(path).execute("CREATE TABLE unrelated (x)").connection.close()
    for cls in (Serato4Source, MixxxSource):
        try:
            cls(path).read_current()
        except SourceError as exc:
            assert "no such table" in str(exc)
