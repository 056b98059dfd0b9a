"""The canonical copy of each room, listener presence and worker leadership.

In memory for the embedded default (one process); in Redis when REDIS_URL is set, so every
worker reads and writes the same copy.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import uuid
from collections.abc import AsyncIterator
from typing import Protocol

from pika.realtime.limiter import MemoryLimiter, RedisLimiter

LISTENER_WINDOW_SECONDS = 300  # a phone in a pocket still counts for five minutes


class RoomStore(Protocol):
    async def get(self, session_id: str) -> dict | None: ...

    async def replace(self, session_id: str, snapshot: dict) -> tuple[bool, dict | None]:
        """Store the snapshot unless a newer version is already there, atomically.
        Returns (stored, the copy it replaced): a push sends only what changed since that copy."""

    async def get_counts(self, session_id: str) -> dict | None: ...

    async def swap_counts(self, session_id: str, counts: dict) -> dict | None:
        """Store the counts; returns the ones they replaced, atomically."""

    async def forget(self, session_id: str) -> None:
        """Drop the room's copies: the next push then sends everything (and a join rebuilds it)."""

    def pushing(self, session_id: str) -> contextlib.AbstractAsyncContextManager[None]:
        """Held from a push's swap to its send, so the room's pushes go out in the order of their swaps."""

    async def mark_dirty(self, session_id: str) -> None:
        """A dancer acted: the room's counts need a refresh (coalesced by the leader)."""

    async def pop_dirty(self) -> set[str]: ...

    async def seen(self, session_id: str, dancer_ids: list[str], now: float | None = None) -> None: ...

    async def listener_count(self, session_id: str, now: float | None = None) -> int: ...

    async def lead(self, worker_id: str, ttl_seconds: int) -> bool:
        """Become (or stay) the one worker that runs app-wide chores."""

    async def close(self) -> None: ...


class MemoryRoomStore:
    """Single-process store; the embedded default runs one backend worker."""

    def __init__(self) -> None:
        self._rooms: dict[str, dict] = {}
        self._counts: dict[str, dict] = {}
        self._dirty: set[str] = set()
        self._listeners: dict[str, dict[str, float]] = {}
        self.limiter = MemoryLimiter()

    async def get_counts(self, session_id: str) -> dict | None:
        return self._counts.get(session_id)

    async def swap_counts(self, session_id: str, counts: dict) -> dict | None:
        previous, self._counts[session_id] = self._counts.get(session_id), counts
        return previous

    async def forget(self, session_id: str) -> None:
        self._rooms.pop(session_id, None)
        self._counts.pop(session_id, None)

    @contextlib.asynccontextmanager
    async def pushing(self, session_id: str) -> AsyncIterator[None]:
        # One process: a push swaps and queues onto every socket without yielding in between, so
        # two pushes cannot interleave.
        yield

    async def mark_dirty(self, session_id: str) -> None:
        self._dirty.add(session_id)

    async def pop_dirty(self) -> set[str]:
        dirty, self._dirty = self._dirty, set()
        return dirty

    async def get(self, session_id: str) -> dict | None:
        return self._rooms.get(session_id)

    async def replace(self, session_id: str, snapshot: dict) -> tuple[bool, dict | None]:
        current = self._rooms.get(session_id)
        if current is not None and current["version"] > snapshot["version"]:
            return False, current
        self._rooms[session_id] = snapshot
        return True, current

    async def seen(self, session_id: str, dancer_ids: list[str], now: float | None = None) -> None:
        stamp = now or time.time()
        listeners = self._listeners.setdefault(session_id, {})
        for dancer_id in dancer_ids:
            listeners[dancer_id] = stamp

    async def listener_count(self, session_id: str, now: float | None = None) -> int:
        cutoff = (now or time.time()) - LISTENER_WINDOW_SECONDS
        listeners = self._listeners.get(session_id, {})
        for dancer_id in [d for d, t in listeners.items() if t < cutoff]:
            del listeners[dancer_id]
        return len(listeners)

    async def lead(self, worker_id: str, ttl_seconds: int) -> bool:
        return True

    async def close(self) -> None:
        return None


# Compare-and-set on the version, atomically, so two workers publishing at once keep the newest;
# the copy it replaced comes back with the answer.
_PUT_IF_NEWER = """
local current = redis.call('GET', KEYS[1])
if current then
  local stored = cjson.decode(current)
  if tonumber(stored['version']) > tonumber(ARGV[2]) then return {0, current} end
end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[3])
return {1, current or ''}
"""
_LEAD = """
local holder = redis.call('GET', KEYS[1])
if (not holder) or holder == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
  return 1
end
return 0
"""
_UNLOCK = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""
_ROOM_TTL_SECONDS = 7 * 24 * 3600
# A push holds its room's lock for a swap and a PUBLISH (a few ms); a worker that dies holding it
# delays the room's next push by this much at most. A push slower than this (Redis stalled for
# seconds) could lose its place to the next one.
_PUSH_LOCK_MS = 2000


class RedisRoomStore:
    def __init__(self, url: str, *, prefix: str = "pika:") -> None:
        from redis.asyncio import BlockingConnectionPool, Redis

        # Bounded pool that WAITS for a free connection: redis-py's default pool raises
        # MaxConnectionsError when all are busy, which failed dancers' joins under a join storm.
        pool = BlockingConnectionPool.from_url(url, decode_responses=True, max_connections=50, timeout=20)
        self._redis = Redis(connection_pool=pool)
        self._prefix = prefix
        self._put = self._redis.register_script(_PUT_IF_NEWER)
        self._lead = self._redis.register_script(_LEAD)
        self._unlock = self._redis.register_script(_UNLOCK)
        self.limiter = RedisLimiter(self._redis, prefix)

    def _key(self, kind: str, session_id: str) -> str:
        return f"{self._prefix}{kind}:{session_id}"

    async def get(self, session_id: str) -> dict | None:
        raw = await self._redis.get(self._key("room", session_id))
        return None if raw is None else json.loads(raw)

    async def replace(self, session_id: str, snapshot: dict) -> tuple[bool, dict | None]:
        stored, previous = await self._put(
            keys=[self._key("room", session_id)],
            args=[json.dumps(snapshot), snapshot["version"], _ROOM_TTL_SECONDS],
        )
        return bool(stored), json.loads(previous) if previous else None

    async def get_counts(self, session_id: str) -> dict | None:
        raw = await self._redis.get(self._key("counts", session_id))
        return None if raw is None else json.loads(raw)

    async def swap_counts(self, session_id: str, counts: dict) -> dict | None:
        previous = await self._redis.set(self._key("counts", session_id), json.dumps(counts), ex=_ROOM_TTL_SECONDS, get=True)
        return None if previous is None else json.loads(previous)

    async def forget(self, session_id: str) -> None:
        await self._redis.delete(self._key("room", session_id), self._key("counts", session_id))

    @contextlib.asynccontextmanager
    async def pushing(self, session_id: str) -> AsyncIterator[None]:
        # Two workers' pushes for one room: without it, the one that swapped first could publish
        # second, and a count changed and changed back would stay wrong on every phone.
        key, token = self._key("pushing", session_id), uuid.uuid4().hex
        while not await self._redis.set(key, token, nx=True, px=_PUSH_LOCK_MS):
            await asyncio.sleep(0.002)
        try:
            yield
        finally:
            await self._unlock(keys=[key], args=[token])

    async def mark_dirty(self, session_id: str) -> None:
        await self._redis.sadd(f"{self._prefix}dirty", session_id)

    async def pop_dirty(self) -> set[str]:
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.smembers(f"{self._prefix}dirty")
            pipe.delete(f"{self._prefix}dirty")
            members, _ = await pipe.execute()
        return set(members)

    async def seen(self, session_id: str, dancer_ids: list[str], now: float | None = None) -> None:
        if not dancer_ids:
            return
        stamp = now or time.time()
        key = self._key("listeners", session_id)
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.zadd(key, dict.fromkeys(dancer_ids, stamp))
            pipe.expire(key, LISTENER_WINDOW_SECONDS * 2)
            await pipe.execute()

    async def listener_count(self, session_id: str, now: float | None = None) -> int:
        cutoff = (now or time.time()) - LISTENER_WINDOW_SECONDS
        key = self._key("listeners", session_id)
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.zremrangebyscore(key, "-inf", cutoff)
            pipe.zcard(key)
            _, count = await pipe.execute()
        return int(count)

    async def lead(self, worker_id: str, ttl_seconds: int) -> bool:
        return bool(await self._lead(keys=[f"{self._prefix}leader"], args=[worker_id, ttl_seconds]))

    async def close(self) -> None:
        await self._redis.aclose()


def make_store(redis_url: str | None) -> RoomStore:
    return RedisRoomStore(redis_url) if redis_url else MemoryRoomStore()
