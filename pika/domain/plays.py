"""Play ordering: which play is "now playing", and which plays are acceptable at all."""

from __future__ import annotations

from datetime import datetime, timedelta

# The agent's clock may run a little ahead of ours; beyond this a play is refused, since it
# would pin "now playing" to a track from the future.
MAX_CLOCK_AHEAD = timedelta(minutes=5)
# Tonight's earlier plays may be imported when a set starts; older ones are refused.
MAX_AGE_BEFORE_SESSION = timedelta(hours=12)


def ordering_key(played_at: datetime, play_id: str) -> tuple[datetime, str]:
    """Plays are ordered by when they really started; the id breaks exact ties deterministically."""
    return (played_at, play_id)


def is_newer(played_at: datetime, play_id: str, current: tuple[datetime, str] | None) -> bool:
    """Does this play take over "now playing" from the current one? Older plays never do."""
    return current is None or ordering_key(played_at, play_id) > current


def played_at_problem(played_at: datetime, session_started_at: datetime, now: datetime) -> str | None:
    """Why a play's start time is not acceptable, or None when it is."""
    if played_at.tzinfo is None:
        return "played_at must include a timezone (for example 2026-05-31T22:01:05Z)"
    if played_at > now + MAX_CLOCK_AHEAD:
        return "played_at is in the future; check the clock of the DJ's computer"
    if played_at < session_started_at - MAX_AGE_BEFORE_SESSION:
        return "played_at is more than 12 hours before the session started"
    return None
