"""Carries room updates between backend workers.

Each worker holds some of the dancers' sockets. A room update is emitted locally at once and,
with Redis, published once on a channel that every other worker relays to its own sockets.
Only room updates travel this way: Reflex's per-dancer updates stay in the worker that holds
the socket (python-socketio's Redis client manager would publish every one of them to every
worker, and its decoder silently drops messages encoded by Reflex's JSON).
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
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
        self._origin = uuid.uuid4().hex

    async def send(self, room: str, payload: dict) -> None:
        # The other workers first: they fill their sockets on their own cores while this one fills
        # its own (the other way round, half the room waited for this worker's half).
        message = json.dumps({"origin": self._origin, "room": room, "payload": payload})
        try:
            await self._redis.publish(self._channel, message)
        except RedisUnavailable as exc:
            # This worker's dancers still get it; the others are sent their rooms whole when their
            # subscription comes back (`run`), or on their next join.
            # Failing here would fail the agent's request after its play was stored.
            log.warning("room relay could not reach Redis (%s); other workers miss this update", exc)
        await super().send(room, payload)  # this worker's sockets, without a round trip

    async def run(self) -> None:
        """Relay the other workers' room updates to this worker's sockets, reconnecting forever."""
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
                        if data["origin"] != self._origin and self._deliver is not None:
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
