"""Reading a room picture the way the dancer page shows it."""

from __future__ import annotations

from pika.domain import history


def shown_history(room: dict) -> list[dict]:
    """The history rows of a snapshot (or of a phone's applied deltas), in the page's order."""
    return history.in_order({key: room[f"history_{key}"] for key in history.KEYS}, room["history_head"])
