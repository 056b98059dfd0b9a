import math

from pika.domain.metrics import clean_metrics, display_bpm


def test_plausible_metrics_are_kept():
    m = clean_metrics(bpm=96.4, key="Am", energy=72.6, duration_s=245)
    assert (m.bpm, m.key, m.energy, m.duration_s, m.unknown) == (96.4, "Am", 73, 245.0, [])


def test_out_of_range_metrics_become_unknown_and_are_reported():
    m = clean_metrics(bpm=0, key="not a key at all", energy=250, duration_s=-1)
    assert (m.bpm, m.key, m.energy, m.duration_s) == (None, None, None, None)
    assert m.unknown == ["bpm", "key", "energy", "duration_s"]


def test_non_finite_bpm_is_unknown():
    assert clean_metrics(bpm=math.nan).unknown == ["bpm"]
    assert clean_metrics(bpm=math.inf).unknown == ["bpm"]


def test_camelot_and_open_key_notations_are_accepted():
    for key in ("8A", "12B", "F#m", "Bb", "C# minor", "1m", "Ebm"):
        assert clean_metrics(key=key).key == key


def test_missing_metrics_are_not_reported_as_unknown():
    assert clean_metrics().unknown == []


def test_bpm_is_rounded_for_display():
    assert display_bpm(95.6) == "96"
    assert display_bpm(None) == ""
