"""Background chores: presence, coalesced listener counts, the session lifecycle sweep.

Presence runs in every worker (each knows only its own sockets); the rest runs in the one
worker that holds leadership, so several workers do not push the same update twice.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import datetime, timedelta

from starlette.concurrency import run_in_threadpool

from pika.db import session_scope
from pika.db_types import utcnow
from pika.domain.polls import RESULT_SHOWN_FOR
from pika.realtime.hub import RoomHub
from pika.realtime.relay import RedisUnavailable
from pika.services.rooms import room_counts, room_snapshot
from pika.services.sessions import get_session, live_sessions, sweep
from pika.settings import Settings

log = logging.getLogger(__name__)

PRESENCE_EVERY = 30.0  # well inside the 5-minute listener window
COUNTS_EVERY = 1.0  # at most one listener-count update per room per second
SWEEP_EVERY = 15.0
LEADER_TTL = 10


def _live_ids() -> list[str]:
    with session_scope() as db:
        return [s.id for s in live_sessions(db)]


def _counts(session_ids: set[str]) -> dict[str, dict]:
    with session_scope() as db:
        return {session_id: room_counts(db, get_session(db, session_id)) for session_id in session_ids}


def _next_deadline(counts: dict) -> float | None:
    """When the clock alone changes these counts: a poll closing or leaving the screen, an announcement expiring."""
    moments = []
    poll = counts["poll"]
    if poll["id"] and poll["open"] and poll["closes_at"]:
        moments.append(datetime.fromisoformat(poll["closes_at"]))
    elif poll["id"] and not poll["open"]:
        moments.append(utcnow() + RESULT_SHOWN_FOR)
    if counts["announcement"]["expires_at"]:
        moments.append(datetime.fromisoformat(counts["announcement"]["expires_at"]))
    return min(m.timestamp() for m in moments) if moments else None


def _sweep(settings: Settings) -> list[dict]:
    with session_scope() as db:
        changed = sweep(
            db,
            reconnecting_after=timedelta(seconds=settings.reconnecting_after_seconds),
            idle_end_after=timedelta(seconds=settings.idle_end_after_seconds),
        )
        db.flush()
        return [room_snapshot(db, get_session(db, session_id)) for session_id in changed]


class Chores:
    def __init__(self, hub: RoomHub, settings: Settings, worker_id: str) -> None:
        self.hub = hub
        self.settings = settings
        self.worker_id = worker_id
        self._last_counts: dict[str, int] = {}
        self._deadlines: dict[str, float] = {}

    async def run(self) -> None:
        next_presence = next_sweep = 0.0
        live_ids: list[str] = []
        next_live_refresh = 0.0
        while True:
            now = time.monotonic()
            try:
                if now >= next_presence:
                    await self.hub.refresh_presence()
                    next_presence = now + PRESENCE_EVERY
                if await self.hub.store.lead(self.worker_id, LEADER_TTL):
                    if now >= next_live_refresh:
                        live_ids = await run_in_threadpool(_live_ids)
                        next_live_refresh = now + 5.0
                    await self.push_listener_counts(live_ids)
                    await self.refresh_counts()
                    if now >= next_sweep:
                        for snapshot in await run_in_threadpool(_sweep, self.settings):
                            await self.hub.publish(snapshot)
                        next_sweep = now + SWEEP_EVERY
            except asyncio.CancelledError:
                raise
            except RedisUnavailable as exc:  # a Redis restart: try again next round, quietly
                log.warning("background chores cannot reach Redis (%s); retrying", exc)
            except Exception:  # a chore must never die: log and try again next round
                log.exception("background chore failed")
            await asyncio.sleep(COUNTS_EVERY)

    async def refresh_counts(self) -> None:
        """Coalesced: every room whose dancers acted (or whose clock ran out) gets ONE update."""
        now = time.time()
        due = await self.hub.store.pop_dirty()
        due |= {session_id for session_id, at in self._deadlines.items() if at <= now}
        if not due:
            return
        for session_id, counts in (await run_in_threadpool(_counts, due)).items():
            await self.hub.publish_counts(session_id, counts)
            deadline = _next_deadline(counts)
            if deadline is None:
                self._deadlines.pop(session_id, None)
            else:
                self._deadlines[session_id] = deadline

    async def push_listener_counts(self, session_ids: list[str]) -> None:
        for session_id in session_ids:
            count = await self.hub.store.listener_count(session_id)
            if self._last_counts.get(session_id) != count:
                self._last_counts[session_id] = count
                await self.hub.emit(session_id, {"listeners": count})
