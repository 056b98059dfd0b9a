"""Rate limits that hold across workers: a sliding window per (limit, who), in Redis when configured."""

from __future__ import annotations

import math
import time
import uuid
from collections import deque
from dataclasses import dataclass

from pika.domain.limits import Limit, effective


def _configured_overrides() -> dict[str, tuple[int, int]]:
    # Read once per limiter (one per worker); settings validated the text at start-up.
    from pika.settings import get_settings

    return get_settings().limit_overrides_map


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: float  # seconds until the next attempt can pass
    limit: Limit  # the limit as configured (overrides applied): what a refusal should quote


class MemoryLimiter:
    def __init__(self, overrides: dict[str, tuple[int, int]] | None = None) -> None:
        self._hits: dict[str, deque[float]] = {}
        # LIMIT_OVERRIDES applies here, so every caller of hit() gets the configured numbers.
        self._overrides = _configured_overrides() if overrides is None else overrides

    async def hit(self, limit: Limit, who: str, now: float | None = None) -> Verdict:
        limit = effective(limit, self._overrides)
        now = now if now is not None else time.time()
        hits = self._hits.setdefault(f"{limit.name}:{who}", deque())
        while hits and hits[0] <= now - limit.per_seconds:
            hits.popleft()
        if len(hits) >= limit.count:
            return Verdict(False, hits[0] + limit.per_seconds - now, limit)
        hits.append(now)
        return Verdict(True, 0.0, limit)

    async def hit_many(self, hits: list[tuple[Limit, str]], now: float | None = None) -> list[Verdict]:
        return [await self.hit(limit, who, now) for limit, who in hits]


# Atomic: drop hits outside the window, refuse when full (answering when the oldest expires).
_HIT = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1] - ARGV[2])
local count = redis.call('ZCARD', KEYS[1])
if count >= tonumber(ARGV[3]) then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {0, tostring(oldest[2] + ARGV[2] - ARGV[1])}
end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
redis.call('EXPIRE', KEYS[1], math.ceil(ARGV[2]) + 1)
return {1, '0'}
"""


class RedisLimiter:
    def __init__(self, redis, prefix: str = "pika:", overrides: dict[str, tuple[int, int]] | None = None) -> None:
        self._redis = redis
        self._prefix = prefix
        self._script = redis.register_script(_HIT)
        self._overrides = _configured_overrides() if overrides is None else overrides

    async def _run(self, limit: Limit, who: str, now: float, client=None):
        """The script for one hit; through `client` (a pipeline) it is queued instead of sent."""
        return await self._script(
            keys=[f"{self._prefix}limit:{limit.name}:{who}"],
            args=[now, limit.per_seconds, limit.count, f"{now}:{uuid.uuid4().hex[:8]}"],
            client=client,
        )

    @staticmethod
    def _verdict(reply, limit: Limit) -> Verdict:
        allowed, retry = reply
        return Verdict(bool(int(allowed)), max(0.0, float(retry)), limit)

    async def hit(self, limit: Limit, who: str, now: float | None = None) -> Verdict:
        limit = effective(limit, self._overrides)
        return self._verdict(await self._run(limit, who, now if now is not None else time.time()), limit)

    async def hit_many(self, hits: list[tuple[Limit, str]], now: float | None = None) -> list[Verdict]:
        """Several hits in one round trip (a pipeline of the same script): a storm's taps share it."""
        if not hits:
            return []
        now = now if now is not None else time.time()
        limits = [effective(limit, self._overrides) for limit, _who in hits]
        async with self._redis.pipeline(transaction=False) as pipe:
            for limit, (_limit, who) in zip(limits, hits, strict=True):
                await self._run(limit, who, now, client=pipe)
            replies = await pipe.execute()
        return [self._verdict(reply, limit) for reply, limit in zip(replies, limits, strict=True)]


def retry_after_header(verdict: Verdict) -> str:
    return str(max(1, math.ceil(verdict.retry_after)))
