"""Carries room updates between backend workers.

Each worker holds some of the dancers' sockets. With Redis, a room update is published once on a
channel, and every worker — the sender too — delivers what it hears there to its own sockets:
one subscription hears messages in the order they were published, so every phone gets a room's
updates in the same order (hub.py holds a room's lock from swap to publish).
Only room updates travel this way: Reflex's per-dancer updates stay in the worker that holds
the socket (python-socketio's Redis client manager would publish every one of them to every
worker, and its decoder silently drops messages encoded by Reflex's JSON).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)

# What a Redis restart or outage raises (redis-py's errors subclass neither of the builtins).
RedisUnavailable = (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError)

Deliver = Callable[[str, dict], Awaitable[None]]
Resync = Callable[[], Awaitable[None]]
CHANNEL = "pika:rooms"


class LocalRelay:
    """One process: deliver here and nowhere else."""

    def __init__(self) -> None:
        self._deliver: Deliver | None = None
        self._resync: Resync | None = None

    def bind(self, deliver: Deliver, resync: Resync | None = None) -> None:
        self._deliver = deliver
        self._resync = resync

    async def send(self, room: str, payload: dict) -> None:
        if self._deliver is not None:
            await self._deliver(room, payload)

    async def run(self) -> None:
        await asyncio.Event().wait()

    async def close(self) -> None:
        return None


class RedisRelay(LocalRelay):
    def __init__(self, url: str, channel: str = CHANNEL) -> None:
        super().__init__()
        from redis.asyncio import BlockingConnectionPool, Redis

        self._redis = Redis(connection_pool=BlockingConnectionPool.from_url(url, max_connections=10, timeout=20))
        self._channel = channel

    async def send(self, room: str, payload: dict) -> None:
        # Not delivered here directly: this worker hears it back on its subscription, in order
        # with the other workers' updates (and every worker fills its sockets at once).
        message = json.dumps({"room": room, "payload": payload})
        try:
            await self._redis.publish(self._channel, message)
        except RedisUnavailable as exc:
            # This worker's dancers still get it; the others are sent their rooms whole when their
            # subscription comes back (`run`), or on their next join.
            # Failing here would fail the agent's request after its play was stored.
            log.warning("room relay could not reach Redis (%s); other workers miss this update", exc)
            await super().send(room, payload)

    async def run(self) -> None:
        """Deliver every worker's room updates (this one's too) to this worker's sockets, in publish
        order, reconnecting forever."""
        delay = 0.5
        subscribed_before = False
        while True:
            try:
                async with self._redis.pubsub(ignore_subscribe_messages=True) as pubsub:
                    await pubsub.subscribe(self._channel)
                    delay = 0.5
                    if subscribed_before and self._resync is not None:
                        # Updates published while we were away never reach us, and pushes carry only
                        # what changed: send this worker's sockets their rooms whole.
                        await self._resync()
                    subscribed_before = True
                    async for message in pubsub.listen():
                        data = json.loads(message["data"])
                        if self._deliver is not None:
                            await self._deliver(data["room"], data["payload"])
            except asyncio.CancelledError:
                raise
            except RedisUnavailable as exc:
                # A Redis restart: expected, and survivable; one line, not a traceback a second.
                log.warning("room relay lost Redis (%s); resubscribing in %.1f s", exc, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10.0)
            except Exception:
                log.exception("room relay failed; retrying in %.1f s", delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 10.0)

    async def close(self) -> None:
        await self._redis.aclose()


def make_relay(redis_url: str | None) -> LocalRelay:
    return RedisRelay(redis_url) if redis_url else LocalRelay()
