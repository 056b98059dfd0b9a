"""Delivers queued plays in order, forever: backoff while offline, never give up, never duplicate."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass

from agent.core.client import ApiError, Offline, PikaClient
from agent.core.outbox import Outbox

log = logging.getLogger(__name__)

BATCH = 100
MAX_BACKOFF_S = 30.0


@dataclass
class SendStatus:
    online: bool
    pending: int
    last_error: str | None = None


class Sender:
    def __init__(self, client: PikaClient, outbox: Outbox, session_id: str,
                 on_status: Callable[[SendStatus], None] | None = None) -> None:
        self.client = client
        self.outbox = outbox
        self.session_id = session_id
        self._on_status = on_status or (lambda _s: None)
        self._wake = asyncio.Event()
        self.failures = 0

    def wake(self) -> None:
        """A play was queued: send now rather than at the next tick."""
        self._wake.set()

    def backoff(self) -> float:
        # Exponential with jitter, capped: reconnects forever without hammering the server.
        return min(MAX_BACKOFF_S, 0.5 * 2 ** min(self.failures, 8)) * random.uniform(0.8, 1.2)

    async def flush(self) -> int:
        """Send everything pending, oldest first. Returns how many plays the server took."""
        delivered = 0
        while batch := self.outbox.pending(self.session_id, BATCH):
            self.outbox.note_attempt([q.play_id for q in batch])
            try:
                answer = await self.client.send_plays(self.session_id, [q.body for q in batch])
            except ApiError as exc:
                if exc.status in (413, 422) and len(batch) > 1:
                    await self._one_by_one(batch)
                    continue
                if exc.status in (413, 422):
                    self.outbox.mark_rejected(batch[0].play_id, exc.detail)
                    continue
                raise
            for result in answer["results"]:
                if result["status"] == "rejected":
                    self.outbox.mark_rejected(result["play_id"], result.get("detail") or "refused by the server")
                else:
                    self.outbox.mark_sent([result["play_id"]])
                    delivered += result["status"] == "created"
        return delivered

    async def _one_by_one(self, batch) -> None:
        for queued in batch:
            try:
                answer = await self.client.send_plays(self.session_id, [queued.body])
            except ApiError as exc:
                if exc.status in (413, 422):
                    self.outbox.mark_rejected(queued.play_id, exc.detail)
                    continue
                raise
            result = answer["results"][0]
            if result["status"] == "rejected":
                self.outbox.mark_rejected(queued.play_id, result.get("detail") or "refused by the server")
            else:
                self.outbox.mark_sent([queued.play_id])

    async def run(self, heartbeat_every: float = 30.0) -> None:
        """Flush and heartbeat until cancelled. Auth errors stop it: the DJ must act."""
        loop = asyncio.get_running_loop()
        next_heartbeat = 0.0
        while True:
            try:
                await self.flush()
                if loop.time() >= next_heartbeat:
                    await self.client.heartbeat(self.session_id)
                    next_heartbeat = loop.time() + heartbeat_every
                self.failures = 0
                self._on_status(SendStatus(True, self.outbox.count(self.session_id)))
                timeout = max(0.1, next_heartbeat - loop.time())
            except Offline as exc:
                self.failures += 1
                self._on_status(SendStatus(False, self.outbox.count(self.session_id), str(exc)))
                timeout = self.backoff()
            except ApiError as exc:
                self._on_status(SendStatus(True, self.outbox.count(self.session_id), exc.detail))
                if exc.is_auth or exc.status in (403, 404):
                    raise
                timeout = self.backoff()
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout)
