"""Shared fixtures: the two stacks every data test runs on.

- "embedded": SQLite + in-process room store (the default with no configuration);
- "production": PostgreSQL + Redis, real servers started from Debian's binaries.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from pika import db as pika_db
from pika.realtime.store import MemoryRoomStore, RedisRoomStore, RoomStore
from pika.settings import get_settings
from tests.support.services import Postgres, Redis, create_database, running_postgres, running_redis

STACKS = ["embedded", "production"]


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    with running_postgres() as pg:
        yield pg


@pytest.fixture(scope="session")
def redis_server() -> Iterator[Redis]:
    with running_redis() as redis:
        yield redis


@dataclass
class Stack:
    name: str
    database_url: str
    redis_url: str | None


@pytest.fixture(params=STACKS)
def stack(request, tmp_path) -> Stack:
    if request.param == "embedded":
        return Stack("embedded", f"sqlite:///{tmp_path / 'pika.db'}", None)
    pg = request.getfixturevalue("postgres")
    redis = request.getfixturevalue("redis_server")
    return Stack("production", create_database(pg, f"t_{uuid.uuid4().hex[:12]}"), redis.url)


@pytest.fixture
def engine(stack: Stack, monkeypatch):
    """The app's engine for this stack, migrated; settings point at it for the test's duration."""
    monkeypatch.setenv("DATABASE_URL", stack.database_url)
    monkeypatch.setenv("REDIS_URL", stack.redis_url or "")
    get_settings.cache_clear()
    pika_db.get_engine.cache_clear()
    engine = pika_db.get_engine()
    pika_db.migrate(engine)
    yield engine
    engine.dispose()
    pika_db.get_engine.cache_clear()
    get_settings.cache_clear()


@pytest.fixture
def db(engine):
    with pika_db.session_scope(engine) as session:
        yield session


@pytest.fixture
async def store(stack: Stack) -> RoomStore:
    if stack.redis_url is None:
        yield MemoryRoomStore()
        return
    store = RedisRoomStore(stack.redis_url, prefix=f"t{uuid.uuid4().hex[:8]}:")
    yield store
    await store.close()
