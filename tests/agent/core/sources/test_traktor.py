"""Traktor History/history_*.nml (spec §7B)."""

from datetime import UTC, datetime, timedelta, timezone

from agent.core.paths import KnownFolders
from agent.core.sources.traktor import TraktorSource, key_to_path, parse_history_nml, traktor_start

SPEC_NML = """<?xml version="1.0" encoding="UTF-8" standalone="no" ?>
<NML VERSION="19"><HEAD COMPANY="www.native-instruments.com" PROGRAM="Traktor"/>
<COLLECTION ENTRIES="2">
 <ENTRY TITLE="Alpha" ARTIST="Artist A"><LOCATION DIR="/:Users/:dj/:Music/:" FILE="Alpha.mp3" VOLUME="Macintosh HD" VOLUMEID="Macintosh HD"/>
  <INFO KEY="8m" PLAYTIME="362"/><TEMPO BPM="124.000000" BPM_QUALITY="100.000000"/><MUSICAL_KEY VALUE="21"/></ENTRY>
 <ENTRY TITLE="Beta &amp; Co" ARTIST="Artist B"><LOCATION DIR="/:Users/:dj/:Music/:" FILE="Beta.mp3" VOLUME="Macintosh HD" VOLUMEID="Macintosh HD"/>
  <INFO KEY="5m" PLAYTIME="420"/><TEMPO BPM="126.000000" BPM_QUALITY="100.000000"/></ENTRY>
</COLLECTION>
<PLAYLISTS><NODE TYPE="FOLDER" NAME="$ROOT"><SUBNODES COUNT="1">
 <NODE TYPE="PLAYLIST" NAME="HistoryPlaylist"><PLAYLIST ENTRIES="3" TYPE="LIST" UUID="0123456789abcdef">
  <ENTRY><PRIMARYKEY TYPE="TRACK" KEY="Macintosh HD/:Users/:dj/:Music/:Alpha.mp3"/>
   <EXTENDEDDATA DECK="0" DURATION="355.2" EXTENDEDTYPE="HistoryData" PLAYEDPUBLIC="1" STARTDATE="132646175" STARTTIME="79260"/></ENTRY>
  <ENTRY><PRIMARYKEY TYPE="TRACK" KEY="Macintosh HD/:Users/:dj/:Music/:Beta.mp3"/>
   <EXTENDEDDATA DECK="1" DURATION="12.0" EXTENDEDTYPE="HistoryData" PLAYEDPUBLIC="0" STARTDATE="132646175" STARTTIME="79500"/></ENTRY>
  <ENTRY><PRIMARYKEY TYPE="TRACK" KEY="Macintosh HD/:Users/:dj/:Music/:Beta.mp3"/>
   <EXTENDEDDATA DECK="1" DURATION="401.9" EXTENDEDTYPE="HistoryData" PLAYEDPUBLIC="1" STARTDATE="132646175" STARTTIME="79560"/></ENTRY>
 </PLAYLIST></NODE></SUBNODES></NODE></PLAYLISTS></NML>
"""
CEST = timezone(timedelta(hours=2))


def test_spec_example_last_public_play():
    alpha, beta = parse_history_nml(SPEC_NML.encode(), ref_prefix="h.nml", tz=CEST)
    assert (beta.artist, beta.title) == ("Artist B", "Beta & Co")
    assert beta.started_at == datetime(2024, 5, 31, 22, 6, tzinfo=CEST)
    assert (beta.bpm, beta.key, beta.deck, beta.source_ref) == (126.0, "5m", "2", "h.nml#2")
    assert alpha.file_path == "/Users/dj/Music/Alpha.mp3"
    assert alpha.duration_s == 362


def test_helpers():
    assert traktor_start("132319763", "26947", UTC) == datetime(2019, 10, 19, 7, 29, 7, tzinfo=UTC)
    assert traktor_start("0", "1", UTC) is None
    assert traktor_start(None, None) is None
    assert key_to_path("C:/:Music/:a.mp3") == "C:/Music/a.mp3"


def test_half_written_file_yields_nothing_and_unknown_tracks_use_the_key():
    assert parse_history_nml(SPEC_NML.encode()[:700]) == []
    lonely = SPEC_NML.replace("Macintosh HD/:Users/:dj/:Music/:Alpha.mp3", "Macintosh HD/:x/:Lonely Song.mp3")
    first = parse_history_nml(lonely.encode())[0]
    assert (first.title, first.artist) == ("Lonely Song", "")


def test_source_takes_the_newest_history_file(tmp_path):
    root = tmp_path / "Documents" / "Native Instruments" / "Traktor 3.11.1"
    (root / "History").mkdir(parents=True)
    (root / "collection.nml").write_text("<NML/>")
    (root / "History" / "history_2024y05m30d_20h00m00s.nml").write_text(SPEC_NML.replace("Beta &amp; Co", "Yesterday"))
    (root / "History" / "history_2024y05m31d_21h00m00s.nml").write_text(SPEC_NML)
    mac = KnownFolders(system="Darwin", home=tmp_path, documents=tmp_path / "Documents", music=tmp_path)
    assert TraktorSource.default_paths(mac) == [root]
    source = TraktorSource(folders=mac, tz=CEST)
    assert source.read_current().title == "Beta & Co"
    history = source.read_history(datetime(2024, 5, 31, 22, 5, tzinfo=CEST))
    assert [t.title for t in history] == ["Yesterday", "Beta & Co"]  # both files hold the same times
