from datetime import UTC, datetime, timedelta

from pika.domain.plays import is_newer, ordering_key, played_at_problem

T0 = datetime(2026, 5, 31, 22, 0, tzinfo=UTC)


def test_first_play_is_always_newer():
    assert is_newer(T0, "a", None)


def test_a_later_play_takes_over_and_an_older_one_never_does():
    current = ordering_key(T0, "m")
    assert is_newer(T0 + timedelta(seconds=1), "a", current)
    assert not is_newer(T0 - timedelta(minutes=5), "z", current)


def test_exact_ties_are_broken_deterministically_by_id():
    current = ordering_key(T0, "m")
    assert is_newer(T0, "n", current)
    assert not is_newer(T0, "l", current)


def test_played_at_must_be_aware_and_not_in_the_future():
    assert played_at_problem(T0.replace(tzinfo=None), T0, T0) is not None
    assert "future" in played_at_problem(T0 + timedelta(minutes=10), T0, T0)
    assert played_at_problem(T0 + timedelta(minutes=4), T0, T0) is None


def test_tonights_earlier_plays_are_accepted_but_not_days_old_ones():
    assert played_at_problem(T0 - timedelta(hours=3), T0, T0) is None
    assert played_at_problem(T0 - timedelta(days=2), T0, T0) is not None
