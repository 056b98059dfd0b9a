"""Two real servers (production mode) sharing one PostgreSQL and one Redis, with short limit windows."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import aiohttp
import httpx
import pytest

from bench.reflex_client import BootInfo
from pika.db import make_engine, migrate, session_scope
from pika.services import accounts
from tests.limits.phone import Phone
from tests.support.server import ROOT, RunningApp, start_apps
from tests.support.services import create_database

# The production numbers (pika/domain/limits.py) over windows of seconds, so each limit trips AND
# recovers within the run. Counts stay as in production except where noted by the tests.
OVERRIDES = "connects=20/15,likes=10/8,thanks=1/4,tempo=30/10"
WEB_DIRS = [".web-limits-a", ".web-limits-b"]
_ips = itertools.count(1)


@dataclass
class Floor:
    """Both servers, one DJ, and what a test needs to put phones on them."""

    apps: list[RunningApp]
    boot: BootInfo
    dj: dict[str, str]

    def api(self, method: str, path: str, json: dict | None = None, server: int = 0) -> httpx.Response:
        return httpx.request(method, f"{self.apps[server].url}/api/v1{path}", headers=self.dj, json=json, timeout=10)

    def live_session(self) -> tuple[str, str]:
        """A new session with a track playing: (session id, play id)."""
        r = self.api("POST", "/sessions", {"title": f"Limits {uuid.uuid4().hex[:6]}"})
        assert r.status_code == 201, r.text
        session_id, play_id = r.json()["id"], str(uuid.uuid4())
        r = self.api("POST", f"/sessions/{session_id}/plays", {
            "play_id": play_id, "artist": "Nova Lane", "title": "Slow Burn Sunday",
            "played_at": datetime.now(UTC).isoformat(), "source": "test"})
        assert r.status_code == 200, r.text
        return session_id, play_id

    def phone(self, http: aiohttp.ClientSession, server: int, session_id: str, *, ip: str,
              dancer_id: str | None = None) -> Phone:
        return Phone(http, self.boot, self.apps[server].url, session_id, ip=ip, dancer_id=dancer_id)


def new_ip() -> str:
    """A network of its own (TEST-NET-3), so one test's sockets never count against another's."""
    return f"203.0.113.{next(_ips)}"


@pytest.fixture(scope="session")
def floor(tmp_path_factory, postgres, redis_server) -> Iterator[Floor]:
    folder = tmp_path_factory.mktemp("limits")
    database_url = create_database(postgres, f"l_{uuid.uuid4().hex[:10]}")
    engine = make_engine(database_url)
    migrate(engine)
    with session_scope(engine) as db:
        dj = accounts.create_dj(db, email=f"limits-{uuid.uuid4().hex[:6]}@example.com", display_name_="DJ Limits",
                                slug=f"limits-{uuid.uuid4().hex[:6]}")
        _, raw = accounts.issue_token(db, dj)
    engine.dispose()
    apps = start_apps(WEB_DIRS, log_dir=folder, database_url=database_url, redis_url=redis_server.url,
                      # Trust one proxy hop: the tests' X-Forwarded-For stands for each phone's network.
                      extra_env={"LIMIT_OVERRIDES": OVERRIDES, "REFLEX_TRUSTED_PROXY_HOPS": "1"})
    try:
        yield Floor(apps, BootInfo.from_web_dir(ROOT / WEB_DIRS[0]), {"Authorization": f"Bearer {raw}"})
    finally:
        for app in apps:
            app.stop()
    for app in apps:
        errors = [line for line in app.log().splitlines() if "[ERROR]" in line or "Traceback" in line]
        assert not errors, f"{app.url} logged errors:\n" + "\n".join(errors[:20])


@pytest.fixture
async def http() -> Iterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session
