from datetime import UTC, datetime, timedelta

import pytest

from pika.domain.limits import LIKES, THANKS
from pika.domain.polls import PRESETS, PollProblem, is_open, make_poll, percentages, preset, winners
from pika.domain.tempo import next_vote, tempo_summary


def test_winner_ties_and_no_votes():
    assert winners([3, 5, 1]) == [1]
    assert winners([4, 4, 1]) == [0, 1]
    assert winners([0, 0, 0]) == []


def test_percentages_round_and_handle_no_votes():
    assert percentages([1, 1, 2]) == [25, 25, 50]
    assert percentages([0, 0]) == [0, 0]


@pytest.mark.parametrize(
    ("question", "options", "duration"),
    [
        ("", ["a", "b"], None),
        ("q" * 201, ["a", "b"], None),
        ("Q?", ["only one"], None),
        ("Q?", [str(i) for i in range(11)], None),
        ("Q?", ["a", "x" * 81], None),
        ("Q?", ["Same", "same"], None),
        ("Q?", ["a", "b"], 29),
        ("Q?", ["a", "b"], 30 * 60 + 1),
    ],
)
def test_poll_bounds(question, options, duration):
    with pytest.raises(PollProblem):
        make_poll(question, options, duration)


def test_poll_within_bounds_and_open_until_closed():
    spec = make_poll("  Next style? ", [" Blues ", "Pop"], None)
    assert spec.question == "Next style?" and spec.options == ("Blues", "Pop") and spec.duration is None
    assert make_poll("Q", ["a", "b"], 30).duration == timedelta(seconds=30)


def test_every_preset_is_a_valid_poll():
    for name in PRESETS:
        assert len(preset(name).options) >= 2
    with pytest.raises(PollProblem):
        preset("nope")


def test_poll_open_until_its_time_or_until_closed():
    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert is_open(None, None, now)
    assert is_open(now + timedelta(seconds=1), None, now)
    assert not is_open(now, None, now)
    assert not is_open(None, now, now)


def test_tapping_the_chosen_tempo_clears_it():
    assert next_vote(None, "faster") == "faster"
    assert next_vote("faster", "slower") == "slower"
    assert next_vote("slower", "slower") is None
    with pytest.raises(ValueError):
        next_vote(None, "warp")


def test_tempo_summary_has_counts_and_percentages():
    s = tempo_summary({"slower": 1, "perfect": 3})
    assert (s["slower"], s["perfect"], s["faster"], s["total"]) == (1, 3, 0, 4)
    assert (s["slower_pct"], s["perfect_pct"], s["faster_pct"]) == (25, 75, 0)


def test_limits_describe_themselves_for_the_ui():
    assert LIKES.describe() == "10 per minute"
    assert THANKS.describe() == "once every 10 seconds"
