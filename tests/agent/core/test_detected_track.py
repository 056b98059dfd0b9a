from datetime import UTC, datetime, timedelta, timezone

import pytest

from agent.core.track import (
    DetectedTrack,
    clean_text,
    comparable,
    from_epoch,
    parse_duration,
    play_key,
    same_track,
    split_artist_title,
)


def test_strings_are_nfc_trimmed_and_keep_their_casing():
    track = DetectedTrack(title="  Army of Me\x00 ", artist="Bjo\u0308rk ", album="  ")
    assert track.title == "Army of Me"
    assert track.artist == "Björk"  # NFD from a Mac path → NFC
    assert track.album is None


def test_numbers_are_cleaned():
    track = DetectedTrack(title="A", bpm="124.5", duration_s=float("nan"), energy=140)
    assert track.bpm == 124.5
    assert track.duration_s is None
    assert track.energy is None
    assert DetectedTrack(title="A", bpm=0, energy=70).bpm is None
    assert DetectedTrack(title="A", energy=70).energy == 70


def test_started_at_must_be_aware_and_becomes_utc():
    plus2 = timezone(timedelta(hours=2))
    track = DetectedTrack(title="A", started_at=datetime(2024, 6, 1, 2, 3, tzinfo=plus2))
    assert track.started_at == datetime(2024, 6, 1, 0, 3, tzinfo=UTC)
    assert track.started_at.tzinfo is UTC
    with pytest.raises(ValueError):
        DetectedTrack(title="A", started_at=datetime(2024, 6, 1, 2, 3))


def test_comparable_is_nfkc_casefold_and_collapses_spaces():
    assert comparable("  ＢＪÖＲＫ \t and\u00a0Friends ") == "björk and friends"
    assert comparable("Straße") == comparable("STRASSE")
    assert comparable(None) == ""
    assert clean_text(None) == ""


def test_play_key_prefers_source_ref_then_start_time():
    at = datetime(2024, 5, 31, 22, 1, tzinfo=UTC)
    a = DetectedTrack(title="Alpha", artist="Artist A", source="vdj", source_ref="1717192860", started_at=at)
    same_row_other_casing = DetectedTrack(title="ALPHA", artist="artist a", source="vdj", source_ref="1717192860")
    assert play_key(a) == play_key(same_row_other_casing)
    replay = DetectedTrack(title="Alpha", artist="Artist A", source="vdj", source_ref="1717199999")
    assert play_key(a) != play_key(replay)
    timed = DetectedTrack(title="Alpha", artist="Artist A", source="djay", started_at=at)
    assert play_key(timed)[1] == f"at:{at.isoformat()}"
    assert play_key(DetectedTrack(title="Alpha", source="djay"))[1] == ""


def test_same_track_ignores_case_and_width():
    assert same_track(DetectedTrack(title="Alpha", artist="A"), DetectedTrack(title="ALPHA ", artist="a"))
    assert not same_track(DetectedTrack(title="Alpha"), None)


def test_with_missing_fills_only_empty_fields():
    base = DetectedTrack(title="Alpha", artist="Artist A", bpm=None, key="Am")
    rich = DetectedTrack(title="x", artist="y", bpm=124.0, key="Cm", album="Album A")
    merged = base.with_missing(rich)
    assert (merged.title, merged.artist, merged.bpm, merged.key, merged.album) == (
        "Alpha",
        "Artist A",
        124.0,
        "Am",
        "Album A",
    )
    assert base.with_missing(None) is base


def test_from_epoch_accepts_seconds_and_milliseconds():
    assert from_epoch(1674884707) == datetime(2023, 1, 28, 5, 45, 7, tzinfo=UTC)
    assert from_epoch(1674884707000) == datetime(2023, 1, 28, 5, 45, 7, tzinfo=UTC)
    assert from_epoch(0) is None
    assert from_epoch(10**30) is None
    assert from_epoch(True) is None


def test_helpers_for_text_fields():
    assert split_artist_title("Simon & Garfunkel - Cecilia - Live") == ("Simon & Garfunkel", "Cecilia - Live")
    assert split_artist_title("Just a title") == ("", "Just a title")
    assert parse_duration("06:02") == 362
    assert parse_duration("1:00:00") == 3600
    assert parse_duration("N/A") is None
    assert DetectedTrack(title="Alpha", artist="A", version="Club Edit").display == "A - Alpha (Club Edit)"
