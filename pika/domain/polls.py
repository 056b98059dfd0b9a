"""Poll rules: presets, bounds, winners (ties are ties; no votes, no winner)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from pika.domain.durations import bounded_duration

QUESTION_MAX = 200
OPTION_MAX = 80
OPTIONS_MIN, OPTIONS_MAX = 2, 10
DURATION_MIN, DURATION_MAX = timedelta(seconds=30), timedelta(minutes=30)
# How long everyone sees the result after a poll closes.
RESULT_SHOWN_FOR = timedelta(seconds=8)

PRESETS: dict[str, tuple[str, tuple[str, ...]]] = {
    "vibe": ("Vibe check: how's the floor?", ("🔥 On fire", "😊 Good", "😴 Need energy")),
    "tempo": ("Tempo check: how should the next songs feel?", ("Slower", "Same", "Faster")),
    "roles": ("Leaders or followers?", ("Leader", "Follower", "Both")),
    "style": ("Next style?", ("Blues / lyrical", "Contemporary pop", "R&B / soul", "Funky / uptempo")),
}


class PollProblem(ValueError):
    pass


@dataclass(frozen=True)
class PollSpec:
    question: str
    options: tuple[str, ...]
    duration: timedelta | None  # None: open until the DJ closes it


def make_poll(question: str, options: list[str], duration_s: float | None) -> PollSpec:
    question = question.strip()
    cleaned = tuple(o.strip() for o in options)
    if not 1 <= len(question) <= QUESTION_MAX:
        raise PollProblem(f"The question must be 1 to {QUESTION_MAX} characters.")
    if not OPTIONS_MIN <= len(cleaned) <= OPTIONS_MAX:
        raise PollProblem(f"A poll has {OPTIONS_MIN} to {OPTIONS_MAX} options.")
    if any(not 1 <= len(o) <= OPTION_MAX for o in cleaned):
        raise PollProblem(f"Each option must be 1 to {OPTION_MAX} characters.")
    if len({o.casefold() for o in cleaned}) != len(cleaned):
        raise PollProblem("The options must be different from each other.")
    try:
        duration = bounded_duration(duration_s, DURATION_MIN, DURATION_MAX)
    except ValueError:
        raise PollProblem("A poll runs 30 seconds to 30 minutes, or until you close it.") from None
    return PollSpec(question, cleaned, duration)


def preset(name: str, duration_s: float | None = None) -> PollSpec:
    if name not in PRESETS:
        raise PollProblem(f"Unknown preset “{name}”; choose one of: {', '.join(PRESETS)}.")
    question, options = PRESETS[name]
    return make_poll(question, list(options), duration_s)


def winners(tallies: list[int]) -> list[int]:
    """Indexes of the winning options: several on a tie, none when nobody voted."""
    top = max(tallies, default=0)
    return [] if top == 0 else [i for i, n in enumerate(tallies) if n == top]


def percentages(tallies: list[int]) -> list[int]:
    total = sum(tallies)
    return [round(100 * n / total) if total else 0 for n in tallies]


def is_open(closes_at: datetime | None, closed_at: datetime | None, now: datetime) -> bool:
    return closed_at is None and (closes_at is None or now < closes_at)
