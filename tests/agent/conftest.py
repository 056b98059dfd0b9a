"""Shared helpers for the agent tests: an injectable clock and polling waits."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest


class FakeClock:
    """A UTC clock that only moves when the test says so."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> datetime:
        self.now += timedelta(seconds=seconds)
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2024, 5, 31, 22, 0, 0, tzinfo=UTC))


def _wait_until(predicate: Callable[[], object], timeout: float = 3.0, interval: float = 0.02) -> bool:
    """Poll predicate until true or timeout; returns whether it became true."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return bool(predicate())


@pytest.fixture
def wait_until() -> Callable[..., bool]:
    return _wait_until


@pytest.fixture(scope="session")
def shared_server(tmp_path_factory):
    """One real agent API (uvicorn + SQLite) for the agent tests that do not stop it."""
    from tests.support.agent_floor import start_server  # imports the server package: only when needed

    server, engine = start_server(tmp_path_factory.mktemp("agent-api"))
    yield server, engine
    server.stop()
    engine.dispose()


@pytest.fixture
def floor(shared_server):
    """A new DJ on the shared server (tests never see each other's sessions)."""
    from tests.support.agent_floor import Floor, new_dj

    server, engine = shared_server
    token, slug = new_dj(engine)
    return Floor(server, engine, token, slug)
