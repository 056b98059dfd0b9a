"""Limits trip and recover; with Redis, two workers share one counter."""

import uuid

import pytest
from redis.asyncio import Redis

from pika.domain.limits import LIKES, THANKS
from pika.realtime.limiter import MemoryLimiter, RedisLimiter, retry_after_header
from pika.realtime.taps import too_soon


@pytest.fixture
async def limiters(stack):
    if stack.redis_url is None:
        one = MemoryLimiter()
        yield one, one
        return
    prefix = f"t{uuid.uuid4().hex[:8]}:"
    a, b = Redis.from_url(stack.redis_url), Redis.from_url(stack.redis_url)
    yield RedisLimiter(a, prefix), RedisLimiter(b, prefix)  # two workers, one Redis
    await a.aclose()
    await b.aclose()


async def test_ten_likes_a_minute_then_refused_then_allowed_again(limiters):
    worker1, worker2 = limiters
    for i in range(10):
        assert (await (worker1 if i % 2 else worker2).hit(LIKES, "dancer", now=1000 + i)).allowed
    refused = await worker1.hit(LIKES, "dancer", now=1030)
    assert not refused.allowed
    assert refused.retry_after == pytest.approx(30, abs=0.01)
    assert retry_after_header(refused) == "30"
    assert (await worker2.hit(LIKES, "dancer", now=1061)).allowed  # the first hit left the window


async def test_limits_are_per_dancer(limiters):
    worker1, _ = limiters
    assert (await worker1.hit(THANKS, "a", now=5)).allowed
    assert not (await worker1.hit(THANKS, "a", now=6)).allowed
    assert (await worker1.hit(THANKS, "b", now=6)).allowed


async def test_a_batch_of_hits_counts_like_the_same_hits_one_by_one(limiters):
    worker1, worker2 = limiters
    for i in range(9):
        assert (await worker2.hit(LIKES, "busy", now=2000 + i)).allowed
    verdicts = await worker1.hit_many([(LIKES, "busy"), (LIKES, "busy"), (THANKS, "calm"), (THANKS, "calm")],
                                      now=2010)
    # The 10th like passes, the 11th is refused until the first leaves the window; thanks on its own counter.
    assert [v.allowed for v in verdicts] == [True, False, True, False]
    assert verdicts[1].retry_after == pytest.approx(50, abs=0.01)
    assert await worker1.hit_many([]) == []


@pytest.mark.parametrize("stack", ["embedded", "production"], indirect=True)
async def test_a_refusal_quotes_the_limit_the_operator_configured(stack):
    overrides = {"likes": (3, 60)}  # LIMIT_OVERRIDES="likes=3/60"
    if stack.redis_url is None:
        limiter, client = MemoryLimiter(overrides), None
    else:
        client = Redis.from_url(stack.redis_url)
        limiter = RedisLimiter(client, f"t{uuid.uuid4().hex[:8]}:", overrides)
    try:
        verdicts = await limiter.hit_many([(LIKES, "dancer")] * 4, now=100)
        single = await limiter.hit(LIKES, "dancer", now=101)
    finally:
        if client is not None:
            await client.aclose()
    assert [v.allowed for v in verdicts] == [True, True, True, False] and not single.allowed
    assert too_soon(verdicts[3]).startswith("Easy there — 3 per minute. Try again in 60 s")
    assert too_soon(single).startswith("Easy there — 3 per minute.")
