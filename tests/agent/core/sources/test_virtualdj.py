"""VirtualDJ history files written the way VirtualDJ writes them (spec §2)."""

import os
import time
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from agent.core.paths import KnownFolders
from agent.core.sources.m3u import parse_m3u, unescape_entities
from agent.core.sources.vdj_database import parse_vdj_database, vdj_bpm
from agent.core.sources.virtualdj import VirtualDJSource, date_in_name

ENTRY_A = (
    "#EXTVDJ:<time>22:01</time><lastplaytime>1717192860</lastplaytime><filesize>9123456</filesize>"
    "<artist>Artist A</artist><title>Alpha</title><songlength>362.5</songlength>"
)
PATH_A = r"C:\Users\dj\Music\Artist A - Alpha.mp3"
ENTRY_B = (
    "#EXTVDJ:<time>22:06</time><lastplaytime>1717193170</lastplaytime>"
    "<artist>Simon &amp; Garfunkel</artist><title>Cecilia</title><remix>Club Edit</remix>"
)
PATH_B = "netsearch://dz123456789"
ENTRY_C = (
    "#EXTVDJ:<time>00:03</time><lastplaytime>1717200180</lastplaytime><filesize>7000000</filesize>"
    "<artist>Björk</artist><title>Army of Me</title>"
)
PATH_C = r"C:\Users\dj\Music\Björk - Army of Me.mp3"
LINES = [ENTRY_A, PATH_A, ENTRY_B, PATH_B, ENTRY_C, PATH_C]

DATABASE_XML = """<?xml version="1.0" encoding="UTF-8"?>
<VirtualDJ_Database Version="2024">
 <Song FilePath="C:\\Users\\dj\\Music\\Artist A - Alpha.mp3" FileSize="9123456">
  <Tags Author="Artist A" Title="Alpha" Album="Album A" Genre="House" Year="2021" />
  <Infos SongLength="362.500000" PlayCount="4" />
  <Scan Version="801" Bpm="0.483871" Key="Am" />
 </Song>
 <Song FilePath="C:\\Users\\dj\\Music\\Björk - Army of Me.mp3">
  <Tags Author="Björk" Title="Army of Me" />
  <Scan Bpm="92.0" Key="Dm" />
 </Song>
</VirtualDJ_Database>
"""


def vdj_bytes(lines, *, bom=True, encoding="utf-8", newline="\r\n", tail=True):
    text = newline.join(lines) + (newline if tail else "")
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding)


def make_home(tmp_path, files, *, database=DATABASE_XML):
    home = tmp_path / "VirtualDJ"
    (home / "History").mkdir(parents=True)
    for name, data in files.items():
        (home / "History" / name).write_bytes(data)
    if database is not None:
        (home / "database.xml").write_text(database, encoding="utf-8")
    return home


def test_spec_example_newest_entry_after_midnight(tmp_path):
    home = make_home(tmp_path, {"2024-05-31.m3u": vdj_bytes(LINES)})
    track = VirtualDJSource(home).read_current()
    assert (track.artist, track.title) == ("Björk", "Army of Me")
    assert track.started_at == datetime(2024, 6, 1, 0, 3, tzinfo=UTC)
    assert track.file_path == PATH_C
    assert track.source == "virtualdj"
    assert track.source_ref == "1717200180"
    assert (track.bpm, track.key) == (92.0, "Dm")  # from database.xml


def test_parse_pairs_tags_with_following_path_and_unescapes_entities():
    tracks = parse_m3u(vdj_bytes(LINES), source="virtualdj")
    assert [t.title for t in tracks] == ["Alpha", "Cecilia", "Army of Me"]
    alpha, cecilia, _ = tracks
    assert alpha.duration_s == 362.5
    assert cecilia.artist == "Simon & Garfunkel"
    assert cecilia.version == "Club Edit"
    assert cecilia.file_path == PATH_B  # streaming: artist/title only from the tags


def test_raw_ampersand_survives():
    raw = ENTRY_B.replace("&amp;", "&").replace("Cecilia", "R&B Groove &copy 2 &#39;x&#39; &#xD800;")
    (track,) = parse_m3u(vdj_bytes([raw, PATH_B]))
    assert track.artist == "Simon & Garfunkel"
    assert track.title == "R&B Groove &copy 2 'x' &#xD800;"
    assert unescape_entities("a &lt;b&gt; &quot;c&quot; &apos;d&apos; &#233;") == "a <b> \"c\" 'd' é"


def test_cp1252_without_bom(tmp_path):
    home = make_home(tmp_path, {"2024-05-31.m3u": vdj_bytes(LINES, bom=False, encoding="cp1252")})
    track = VirtualDJSource(home).read_current()
    assert track.artist == "Björk"
    assert track.file_path == PATH_C


def test_truncated_tail_keeps_previous_entry_and_never_mixes_fields(tmp_path):
    # The last #EXTVDJ line is there, its path line is not, and there's no newline.
    data = vdj_bytes(LINES[:4]) + ENTRY_C.encode()
    home = make_home(tmp_path, {"2024-05-31.m3u": data})
    source = VirtualDJSource(home)
    track = source.read_current()
    assert (track.title, track.file_path) == ("Cecilia", PATH_B)
    # Complete line, path still missing: the entry is pending.
    (home / "History" / "2024-05-31.m3u").write_bytes(vdj_bytes(LINES[:5]))
    track = source.read_current()
    assert (track.title, track.file_path) == ("Cecilia", PATH_B)
    # Path line written but not terminated yet: still pending.
    (home / "History" / "2024-05-31.m3u").write_bytes(vdj_bytes(LINES[:5]) + PATH_C.encode())
    assert source.read_current().title == "Cecilia"
    # Completed.
    (home / "History" / "2024-05-31.m3u").write_bytes(vdj_bytes(LINES))
    track = source.read_current()
    assert (track.title, track.file_path) == ("Army of Me", PATH_C)


def test_unterminated_last_line_is_accepted_once_the_file_is_quiet(tmp_path):
    home = make_home(tmp_path, {"2024-05-31.m3u": vdj_bytes(LINES, tail=False)})
    path = home / "History" / "2024-05-31.m3u"
    source = VirtualDJSource(home)
    assert source.read_current().title == "Cecilia"
    old = time.time() - 30
    os.utime(path, (old, old))
    assert source.read_current().title == "Army of Me"


def test_midnight_rollover_to_a_new_day_file(tmp_path):
    home = make_home(tmp_path, {"2024-05-31.m3u": vdj_bytes(LINES[:4])})
    source = VirtualDJSource(home)
    assert source.read_current().title == "Cecilia"
    # VirtualDJ restarted after midnight: a new daily file starts, empty at first.
    new_file = home / "History" / "2024-06-01.m3u"
    new_file.write_bytes(b"")
    assert source.read_current().title == "Cecilia"
    new_file.write_bytes(vdj_bytes(LINES[4:]))
    assert source.read_current().title == "Army of Me"
    # VirtualDJ touches the old file (WNP #362): newest lastplaytime still wins.
    later = time.time() + 5
    os.utime(home / "History" / "2024-05-31.m3u", (later, later))
    assert source.read_current().title == "Army of Me"


def test_old_file_touched_does_not_resurrect_old_tracks(tmp_path):
    old = vdj_bytes(
        ["#EXTVDJ:<lastplaytime>1600000000</lastplaytime><artist>Old</artist><title>Months Ago</title>", "x.mp3"]
    )
    home = make_home(tmp_path, {"2020-09-13.m3u": old, "2024-05-31.m3u": vdj_bytes(LINES)})
    future = time.time() + 60
    os.utime(home / "History" / "2020-09-13.m3u", (future, future))
    assert VirtualDJSource(home).read_current().title == "Army of Me"


def test_history_since(tmp_path):
    home = make_home(
        tmp_path,
        {
            "2024-05-31.m3u": vdj_bytes(LINES),
            "2023-01-01.m3u": vdj_bytes([ENTRY_A.replace("1717192860", "1672560000"), PATH_A]),
        },
    )
    since = datetime(2024, 5, 31, 22, 5, tzinfo=UTC)
    history = VirtualDJSource(home).read_history(since)
    assert [t.title for t in history] == ["Cecilia", "Army of Me"]
    everything = VirtualDJSource(home).read_history(datetime(2020, 1, 1, tzinfo=UTC))
    assert everything[0].title == "Alpha"
    assert everything[1].bpm == 124.0  # enriched


def test_time_tag_fallback_when_lastplaytime_is_missing():
    lines = [
        "#EXTVDJ:<time>23:58</time><artist>A</artist><title>One</title>",
        "a.mp3",
        "#EXTVDJ:<time>00:03</time><artist>B</artist><title>Two</title>",
        "b.mp3",
    ]
    pst = timezone(timedelta(hours=-7))
    one, two = parse_m3u(vdj_bytes(lines), file_date=date(2024, 5, 31), tz=pst, ref_prefix="f")
    assert one.started_at == datetime(2024, 5, 31, 23, 58, tzinfo=pst)
    assert two.started_at == datetime(2024, 6, 1, 0, 3, tzinfo=pst)
    assert (one.source_ref, two.source_ref) == ("f#0", "f#1")


def test_entry_order_and_extm3u_header_are_optional():
    lines = ["#EXTM3U", "", "#EXTVDJ:<title>Only Title</title><lastplaytime>1717192860</lastplaytime>", "y.mp3"]
    (track,) = parse_m3u(vdj_bytes(lines, bom=False, newline="\n"))
    assert (track.artist, track.title) == ("", "Only Title")


def test_database_bpm_conversion_and_lookup():
    db = parse_vdj_database(DATABASE_XML.encode())
    song = db.by_path[r"c:/users/dj/music/artist a - alpha.mp3"]
    assert (song.bpm, song.key, song.album, song.duration_s) == (124.0, "Am", "Album A", 362.5)
    assert vdj_bpm("0.458") == 131.0
    assert vdj_bpm("128") == 128.0
    assert vdj_bpm("0") is None and vdj_bpm("x") is None and vdj_bpm(None) is None


def test_database_truncated_mid_save_keeps_finished_songs():
    data = DATABASE_XML.encode()
    cut = data[: data.index(b"<Song", 100) + 30]
    db = parse_vdj_database(cut)
    assert len(db.by_path) == 1


def test_database_is_cached_until_it_changes(tmp_path):
    home = make_home(tmp_path, {"2024-05-31.m3u": vdj_bytes(LINES)})
    source = VirtualDJSource(home)
    assert source.read_current().bpm == 92.0
    first = source.database()
    assert source.database() is first
    xml = home / "database.xml"
    xml.write_text(DATABASE_XML.replace('Bpm="92.0"', 'Bpm="0.5"'), encoding="utf-8")
    os.utime(xml, (time.time() + 3, time.time() + 3))
    assert source.read_current().bpm == 120.0


def test_path_override_and_defaults(tmp_path):
    home = make_home(tmp_path, {"2024-05-31.m3u": vdj_bytes(LINES)})
    assert VirtualDJSource(home / "History").home() == home  # the History folder also works
    assert VirtualDJSource(tmp_path / "nowhere").detect() is None
    win = KnownFolders(
        system="Windows",
        home=tmp_path,
        documents=tmp_path / "OneDrive" / "Documents",
        music=tmp_path / "Music",
        local_appdata=tmp_path / "AppData" / "Local",
    )
    assert VirtualDJSource.default_paths(win) == [
        tmp_path / "OneDrive" / "Documents" / "VirtualDJ",
        tmp_path / "AppData" / "Local" / "VirtualDJ",
    ]
    (tmp_path / "AppData" / "Local" / "VirtualDJ" / "History").mkdir(parents=True)
    assert VirtualDJSource(folders=win).detect() == tmp_path / "AppData" / "Local" / "VirtualDJ"
    mac = KnownFolders(system="Darwin", home=tmp_path, documents=tmp_path / "Documents", music=tmp_path / "Music")
    assert VirtualDJSource.default_paths(mac)[1] == tmp_path / "Library" / "Application Support" / "VirtualDJ"
    linux = KnownFolders(system="Linux", home=tmp_path, documents=tmp_path, music=tmp_path)
    assert VirtualDJSource.default_paths(linux) == []


def test_watch_paths_and_change_token(tmp_path):
    home = make_home(tmp_path, {"2024-05-31.m3u": vdj_bytes(LINES[:2])})
    source = VirtualDJSource(home)
    assert source.watch_paths() == [home / "History"]
    token = source.change_token()
    with (home / "History" / "2024-05-31.m3u").open("ab") as handle:
        handle.write(vdj_bytes(LINES[2:4], bom=False))
    assert source.change_token() != token
    (home / "History" / "2024-06-01.m3u").write_bytes(b"")
    assert len(source.change_token()) == 2


@pytest.mark.parametrize(
    "name,expected", [("2024-05-31.m3u", date(2024, 5, 31)), ("history.m3u", None), ("2024-13-40.m3u", None)]
)
def test_date_in_name(tmp_path, name, expected):
    assert date_in_name(tmp_path / name) == expected


def test_files_without_timestamps_use_the_newest_named_file(tmp_path):
    plain = lambda title: vdj_bytes([f"#EXTVDJ:<artist>X</artist><title>{title}</title>", f"{title}.mp3"])  # noqa: E731
    home = make_home(tmp_path, {"2024-05-30.m3u": plain("Older"), "2024-05-31.m3u": plain("Newer")}, database=None)
    old = time.time() - 100
    os.utime(home / "History" / "2024-05-31.m3u", (old, old))  # newest name, older mtime
    assert VirtualDJSource(home).read_current().title == "Newer"


def test_time_fallback_at_the_end_of_the_calendar_does_not_crash():
    lines = [
        "#EXTVDJ:<time>23:58</time><title>One</title>",
        "a.mp3",
        "#EXTVDJ:<time>00:01</time><title>Two</title>",
        "b.mp3",
    ]
    one, two = parse_m3u(vdj_bytes(lines), file_date=date(9999, 12, 31), tz=UTC)
    assert one.started_at is not None and two.started_at is None
