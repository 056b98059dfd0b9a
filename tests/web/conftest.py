"""The /auth form posts through the real API app (in process), on both stacks."""

from __future__ import annotations

import uuid

import httpx
import pytest
from redis.asyncio import Redis
from sqlmodel import func, select

from pika.api.app import create_api
from pika.db import session_scope
from pika.models import DJ, WebSession
from pika.realtime.limiter import MemoryLimiter, RedisLimiter
from pika.web.cookies import CSRF_COOKIE

CSRF = "csrf-value-from-the-browser-cookie-0123456789"
PASSWORD = "correct horse battery"


@pytest.fixture
async def limiter(stack):
    """A fresh limiter per test (Redis-backed on the production stack), so tests do not share counts."""
    if stack.redis_url is None:
        yield MemoryLimiter(overrides={})
        return
    redis = Redis.from_url(stack.redis_url)
    yield RedisLimiter(redis, f"t{uuid.uuid4().hex[:8]}:", overrides={})
    await redis.aclose()


def api_with(limiter):
    api = create_api()
    api.state.limiter = limiter
    return api


@pytest.fixture
async def browser(engine, limiter):
    """A browser that already holds its CSRF cookie (as the sign-in page gives it)."""
    transport = httpx.ASGITransport(app=api_with(limiter))
    async with httpx.AsyncClient(transport=transport, base_url="http://pika.test") as client:
        client.cookies.set(CSRF_COOKIE, CSRF)
        yield client


def form(**fields) -> dict:
    return {"csrf": CSRF, **fields}


def sign_up_form(**overrides) -> dict:
    return form(**{"email": "nova@example.com", "name": "Nova Lane", "slug": "nova", "password": PASSWORD,
                   **overrides})


def count(engine, model) -> int:
    with session_scope(engine) as db:
        return db.exec(select(func.count()).select_from(model)).one()


def counts(engine) -> tuple[int, int]:
    return count(engine, DJ), count(engine, WebSession)
