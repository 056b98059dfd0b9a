"""Poll and announcement durations: none, within bounds, or refused before timedelta could overflow."""

import math
from datetime import timedelta

import pytest

from pika.domain.durations import bounded_duration

LOW, HIGH = timedelta(seconds=30), timedelta(minutes=30)


def test_none_means_until_ended():
    assert bounded_duration(None, LOW, HIGH) is None


@pytest.mark.parametrize("seconds", [30, 90.5, 1800])
def test_seconds_within_bounds_become_a_timedelta(seconds):
    assert bounded_duration(seconds, LOW, HIGH) == timedelta(seconds=seconds)


@pytest.mark.parametrize("seconds", [29.9, 1800.1, -1, 1e300, math.inf, math.nan])
def test_anything_else_is_refused(seconds):
    with pytest.raises(ValueError):
        bounded_duration(seconds, LOW, HIGH)
