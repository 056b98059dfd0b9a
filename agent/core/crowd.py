"""The floor as the DJ sees it: the crowd feed (GET /sessions/{id}/crowd), read defensively.

follow() polls about once a second (PRODUCT §4: dancers' actions reach the agent within
2 s) and keeps going through outages with a capped backoff.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from agent.core.client import ApiError, Offline, PikaClient

log = logging.getLogger(__name__)


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


@dataclass(frozen=True)
class Tempo:
    slower: int = 0
    perfect: int = 0
    faster: int = 0
    slower_pct: int = 0
    perfect_pct: int = 0
    faster_pct: int = 0
    total: int = 0


@dataclass(frozen=True)
class Poll:
    id: int
    question: str
    options: tuple[str, ...]
    counts: tuple[int, ...]
    percents: tuple[int, ...]
    total: int
    closes_at: str  # ISO time, or "" when it stays open until closed
    open: bool
    winners: tuple[int, ...]

    @classmethod
    def parse(cls, body: Any) -> Poll | None:
        if not isinstance(body, dict) or not isinstance(body.get("id"), int):
            return None
        options = tuple(str(o) for o in body.get("options") or [])
        counts = [_int(c) for c in body.get("counts") or []]
        percents = [_int(p) for p in body.get("percents") or []]
        pad = len(options)
        return cls(
            id=body["id"],
            question=str(body.get("question", "")),
            options=options,
            counts=tuple((counts + [0] * pad)[:pad]),
            percents=tuple((percents + [0] * pad)[:pad]),
            total=_int(body.get("total")),
            closes_at=str(body.get("closes_at") or ""),
            open=bool(body.get("open")),
            winners=tuple(w for w in body.get("winners") or [] if isinstance(w, int) and 0 <= w < pad),
        )


@dataclass(frozen=True)
class Crowd:
    status: str = "live"
    listeners: int = 0
    now_playing_play_id: str | None = None
    likes_current: int = 0
    likes_total: int = 0
    tempo: Tempo = field(default_factory=Tempo)
    thanks_total: int = 0
    thanks_since: int = 0
    cursor: str | None = None
    poll: Poll | None = None

    @classmethod
    def parse(cls, body: Any) -> Crowd:
        body = body if isinstance(body, dict) else {}
        tempo = body.get("tempo") if isinstance(body.get("tempo"), dict) else {}
        return cls(
            status=str(body.get("status") or "live"),
            listeners=_int(body.get("listeners")),
            now_playing_play_id=body.get("now_playing_play_id") if isinstance(body.get("now_playing_play_id"), str) else None,
            likes_current=_int(body.get("likes_current")),
            likes_total=_int(body.get("likes_total")),
            tempo=Tempo(**{name: _int(tempo.get(name)) for name in Tempo.__dataclass_fields__}),
            thanks_total=_int(body.get("thanks_total")),
            thanks_since=_int(body.get("thanks_since")),
            cursor=body.get("cursor") if isinstance(body.get("cursor"), str) else None,
            poll=Poll.parse(body.get("poll")),
        )


async def follow(
    client: PikaClient,
    session_id: str,
    on_crowd: Callable[[Crowd], None],
    on_problem: Callable[[Exception], None] | None = None,
    *,
    every_s: float = 1.0,
    max_backoff_s: float = 15.0,
) -> None:
    """Read the crowd feed until cancelled; auth and not-found errors end it (the DJ must act)."""
    cursor: str | None = None
    failures = 0
    while True:
        try:
            crowd = Crowd.parse(await client.crowd(session_id, since=cursor))
        except (Offline, ApiError) as exc:
            if on_problem is not None:
                on_problem(exc)
            if isinstance(exc, ApiError) and exc.status in (401, 403, 404):
                raise
            failures += 1
            await asyncio.sleep(min(max_backoff_s, every_s * 2 ** min(failures, 4)) * random.uniform(0.8, 1.2))
            continue
        failures = 0
        cursor = crowd.cursor or cursor
        on_crowd(crowd)
        await asyncio.sleep(every_s)
