"""How long a poll or an announcement lasts, as the agent sends it: seconds, or none (until ended)."""

from __future__ import annotations

from datetime import timedelta


def bounded_duration(seconds: float | None, low: timedelta, high: timedelta) -> timedelta | None:
    """None stays None; seconds within [low, high] become a timedelta; anything else (NaN too) raises
    ValueError. The number is compared before it is converted: a huge one would overflow timedelta
    (a 500 instead of a clear 422)."""
    if seconds is None:
        return None
    if not low.total_seconds() <= seconds <= high.total_seconds():
        raise ValueError(f"{seconds} s is outside {low} … {high}")
    return timedelta(seconds=seconds)
