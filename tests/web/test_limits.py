"""Sign-in and sign-up: 5 attempts per 15 minutes per IP, counted together by every worker."""

from __future__ import annotations

import uuid

import httpx
import pytest
from redis.asyncio import Redis

from pika.domain.limits import SIGN_IN
from pika.realtime.limiter import MemoryLimiter, RedisLimiter
from tests.web.conftest import CSRF, api_with, counts, form, sign_up_form


class Clock:
    """Drives the limiter's `now`, so the 15-minute window can pass in a test."""

    def __init__(self, limiter) -> None:
        self.limiter, self.now = limiter, 1_000_000.0

    async def hit(self, limit, who, now=None):
        return await self.limiter.hit(limit, who, now=self.now)


@pytest.fixture
async def two_workers(stack, engine):
    """Two app instances; on the production stack each has its own connection to the same Redis."""
    if stack.redis_url is None:
        one = Clock(MemoryLimiter(overrides={}))  # the embedded default runs one worker
        limiters = [one, one]
        connections = []
    else:
        prefix = f"t{uuid.uuid4().hex[:8]}:"
        connections = [Redis.from_url(stack.redis_url), Redis.from_url(stack.redis_url)]
        limiters = [Clock(RedisLimiter(connection, prefix, overrides={})) for connection in connections]
    clients = [httpx.AsyncClient(transport=httpx.ASGITransport(app=api_with(lim)), base_url="http://pika.test")
               for lim in limiters]
    for client in clients:
        client.cookies.set("pika_csrf", CSRF)
    yield clients, limiters
    for client in clients:
        await client.aclose()
    for connection in connections:
        await connection.aclose()


async def test_sixth_sign_in_from_one_ip_is_refused_across_workers_then_allowed_again(two_workers, engine):
    clients, limiters = two_workers
    for attempt in range(SIGN_IN.count):
        r = await clients[attempt % 2].post("/auth/sign-in", data=form(email="x@example.com", password="guess-1234"))
        assert r.status_code == 303, f"attempt {attempt + 1} was refused"
    refused = await clients[1].post("/auth/sign-in", data=form(email="x@example.com", password="guess-1234"))
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["retry-after"]) <= 15 * 60
    assert "Too many attempts" in refused.text and "15 minutes" in refused.text
    for worker in limiters:
        worker.now += 15 * 60 + 1
    again = await clients[0].post("/auth/sign-in", data=form(email="x@example.com", password="guess-1234"))
    assert again.status_code == 303


async def test_sign_up_is_limited_too_and_a_refused_one_creates_nothing(two_workers, engine):
    clients, _ = two_workers
    for attempt in range(5):
        r = await clients[attempt % 2].post("/auth/sign-up", data=sign_up_form(slug="admin"))
        assert r.status_code == 303
    refused = await clients[0].post("/auth/sign-up", data=sign_up_form())
    assert refused.status_code == 429 and refused.headers["retry-after"]
    assert counts(engine) == (0, 0)
