import uuid
from datetime import UTC, datetime, timedelta

from agent.core.detector import Detector
from agent.core.track import DetectedTrack

START = datetime(2024, 5, 31, 22, 0, 0, tzinfo=UTC)


def vdj(title, ref, minutes_after_start=0.0, artist="Artist", **extra):
    return DetectedTrack(
        title=title,
        artist=artist,
        source="virtualdj",
        source_ref=str(ref),
        started_at=START + timedelta(minutes=minutes_after_start),
        **extra,
    )


def djay(title, artist="Artist", at=None):
    return DetectedTrack(title=title, artist=artist, source="djay", started_at=at)


def make(clock, **kw):
    return Detector(clock=clock, agent_started_at=START, **kw)


def test_settle_then_emit_with_the_source_start_time(clock):
    detector = make(clock, settle_s=3)
    track = vdj("Alpha", 1, minutes_after_start=-0.75)  # history is ~45 s late
    assert detector.feed(track) == []
    assert detector.next_check_in() == 3.0
    clock.advance(1)
    assert detector.feed(track) == []
    assert detector.next_check_in() == 2.0
    clock.advance(2)
    (play,) = detector.feed(track)
    assert play.track == track
    assert play.played_at == track.started_at
    assert play.detected_at == clock.now
    assert uuid.UUID(play.play_id).version == 4
    assert detector.current == play
    assert detector.next_check_in() is None


def test_quick_loads_do_not_flicker(clock):
    detector = make(clock, settle_s=3)
    loaded = {}
    for title in ("Alpha", "Beta", "Gamma"):
        loaded[title] = clock.now
        assert detector.feed(djay(title, at=clock.now)) == []
        clock.advance(1)
    clock.advance(2)
    (play,) = detector.feed(djay("Gamma", at=loaded["Gamma"]))
    assert play.track.title == "Gamma"
    assert play.played_at == loaded["Gamma"]  # the reading's own start time
    assert detector.feed(djay("Alpha", at=loaded["Alpha"])) == []  # Alpha never settled: starts over


def test_a_change_during_the_delay_drops_the_reading(clock):
    detector = make(clock, settle_s=3)
    detector.feed(vdj("Alpha", 1))
    clock.advance(3)
    assert [p.track.title for p in detector.feed(vdj("Alpha", 1))] == ["Alpha"]
    detector.feed(vdj("Beta", 2, 4))
    clock.advance(2)
    assert detector.feed(vdj("Alpha", 1)) == []  # flicked back: Beta never settled
    clock.advance(5)
    assert detector.feed(vdj("Alpha", 1)) == []
    assert detector.next_check_in() is None


def test_rereading_the_same_row_is_not_a_new_play(clock):
    detector = make(clock, settle_s=0)
    assert len(detector.feed(vdj("Alpha", 1))) == 1
    for _ in range(5):
        clock.advance(30)
        assert detector.feed(vdj("ALPHA", 1, artist="artist")) == []


def test_same_song_later_is_a_new_play(clock):
    detector = make(clock, settle_s=0)
    first = detector.feed(vdj("Alpha", 1, 0))
    detector.feed(vdj("Beta", 2, 4))
    clock.advance(600)
    again = detector.feed(vdj("Alpha", 3, 10))
    assert len(first) == len(again) == 1
    assert first[0].play_id != again[0].play_id
    # Straight after itself, with a new row, after min_replay_s: also a new play.
    clock.advance(300)
    assert len(detector.feed(vdj("Alpha", 4, 15))) == 1


def test_restart_within_min_replay_is_the_same_play(clock):
    detector = make(clock, settle_s=0, min_replay_s=120)
    assert len(detector.feed(vdj("Alpha", 1, 0))) == 1
    clock.advance(60)
    assert detector.feed(vdj("Alpha", 2, 1)) == []  # DJ reloaded it a minute later


def test_reference_less_source_rewriting_its_file_is_not_a_new_play(clock):
    detector = make(clock, settle_s=0)
    assert len(detector.feed(djay("Alpha", at=START + timedelta(seconds=5)))) == 1
    clock.advance(600)
    assert detector.feed(djay("Alpha", at=START + timedelta(seconds=600))) == []  # file touched
    assert len(detector.feed(djay("Beta", at=clock.now))) == 1
    clock.advance(300)
    assert len(detector.feed(djay("Alpha", at=clock.now))) == 1  # A, B, A: three plays


def test_history_from_before_start_is_not_announced(clock):
    detector = make(clock, settle_s=0, grace_s=900)
    old = vdj("Last Week", 1, minutes_after_start=-60 * 24 * 7)
    assert detector.feed(old) == []
    assert detector.baseline == old
    clock.advance(10)
    assert detector.feed(old) == []
    (play,) = detector.feed(vdj("Fresh", 2, 0.5))
    assert play.track.title == "Fresh"


def test_grace_period_and_still_running_tracks(clock):
    detector = make(clock, settle_s=0, grace_s=900)
    assert len(detector.feed(vdj("Recent", 1, -10))) == 1  # 10 min before start: within grace
    long_one = vdj("Long Blues", 2, -20, duration_s=25 * 60)  # started 20 min ago, still running
    assert not detector.is_stale(long_one)
    assert detector.is_stale(vdj("Over", 3, -20, duration_s=5 * 60))
    assert detector.is_stale(vdj("Unknown Length", 4, -16))


def test_first_reading_of_unknown_age_is_a_baseline_not_a_play(clock):
    detector = make(clock, settle_s=0)
    unknown = DetectedTrack(title="Was On", source="m3u", source_ref="set.m3u#9")
    assert detector.feed(unknown) == []
    assert detector.baseline == unknown
    play = detector.announce_baseline()
    assert play.track == unknown and play.played_at == clock.now
    assert detector.baseline is None
    assert detector.feed(unknown) == []
    nxt = DetectedTrack(title="Next", source="m3u", source_ref="set.m3u#10")
    (play,) = detector.feed(nxt)
    assert play.played_at == clock.now  # no source time: detection time
    assert detector.announce_baseline() is None


def test_none_readings_keep_the_last_track(clock):
    detector = make(clock, settle_s=2)
    detector.feed(vdj("Alpha", 1))
    clock.advance(1)
    assert detector.feed(None) == []
    clock.advance(1)
    assert len(detector.feed(vdj("Alpha", 1))) == 1
    assert detector.feed(None) == []
    assert detector.current.track.title == "Alpha"


def test_detection_time_is_when_first_seen_not_when_settled(clock):
    detector = make(clock, settle_s=5)
    detector.feed(vdj("Alpha", 1))  # a first reading with a time: fine
    clock.advance(5)
    detector.feed(vdj("Alpha", 1))
    seen_at = clock.now
    manual_like = DetectedTrack(title="Beta", source="djuced", source_ref="x1")
    detector.feed(manual_like)
    clock.advance(5)
    (play,) = detector.feed(manual_like)
    assert play.played_at == seen_at


def test_earlier_tonight_and_import(clock):
    detector = make(clock, settle_s=0)
    history = [
        vdj("Yesterday", 1, -60 * 20),
        vdj("Opener", 2, -80),
        vdj("Second", 3, -45),
        vdj("Third", 4, -20),
        vdj("Third", 4, -20),  # duplicate row
        vdj("Current", 5, -2),
    ]
    assert len(detector.feed(history[-1])) == 1  # announced live
    earlier = detector.earlier_tonight(history, max_gap_s=40 * 60)
    assert [t.title for t in earlier] == ["Opener", "Second", "Third"]  # stops at the big gap
    assert [t.title for t in detector.earlier_tonight(history, max_gap_s=30 * 60)] == ["Second", "Third"]
    plays = detector.import_plays(earlier)
    assert [p.track.title for p in plays] == ["Opener", "Second", "Third"]
    assert all(p.imported and p.played_at == p.track.started_at for p in plays)
    assert len({p.play_id for p in plays}) == 3
    assert detector.import_plays(earlier) == []  # once only
    assert detector.earlier_tonight(history, max_gap_s=40 * 60) == []
    assert detector.feed(vdj("Third", 4, -20)) == []


def test_stale_baseline_is_offered_as_earlier_tonight(clock):
    detector = make(clock, settle_s=0, grace_s=600)
    stale = vdj("Before Start", 1, -20)
    detector.feed(stale)
    assert detector.earlier_tonight([stale]) == [stale]
    (play,) = detector.import_plays([stale])
    assert detector.baseline is None
    assert play.imported


def test_event_payload(clock):
    detector = make(clock, settle_s=0)
    (play,) = detector.feed(vdj("Cecilia", 1, artist="Simon & Garfunkel", version="Club Edit", bpm=124.0, key="Am"))
    assert play.event() == {
        "play_id": play.play_id,
        "artist": "Simon & Garfunkel",
        "title": "Cecilia",
        "version": "Club Edit",
        "bpm": 124.0,
        "key": "Am",
        "energy": None,
        "played_at": "2024-05-31T22:00:00+00:00",
        "source": "virtualdj",
    }


def test_injected_ids(clock):
    ids = iter(["id-1", "id-2"])
    detector = Detector(clock=clock, settle_s=0, new_id=lambda: next(ids))
    assert detector.agent_started_at == clock.now
    detector.feed(vdj("Alpha", 1, 0))
    assert detector.current.play_id == "id-1"


def test_undated_tracks_after_an_empty_start_are_announced(clock):
    detector = make(clock, settle_s=0)
    assert detector.feed(None) == []  # nothing written yet when the agent started
    clock.advance(600)
    (play,) = detector.feed(DetectedTrack(title="First", source="m3u", source_ref="set.m3u#0"))
    assert play.played_at == clock.now
    assert detector.baseline is None
