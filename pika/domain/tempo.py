"""Tempo votes: slower / perfect / faster on the current play; tapping your choice clears it."""

from __future__ import annotations

CHOICES = ("slower", "perfect", "faster")


def next_vote(current: str | None, tapped: str) -> str | None:
    """The dancer's vote after a tap: the tapped choice, or none when it was already chosen."""
    if tapped not in CHOICES:
        raise ValueError(f"unknown tempo choice {tapped!r}")
    return None if current == tapped else tapped


def tempo_summary(counts: dict[str, int]) -> dict[str, int]:
    """Counts and percentages per choice, as the DJ and the floor read them."""
    total = sum(counts.get(c, 0) for c in CHOICES)
    out = {c: counts.get(c, 0) for c in CHOICES}
    out.update({f"{c}_pct": round(100 * counts.get(c, 0) / total) if total else 0 for c in CHOICES})
    out["total"] = total
    return out
