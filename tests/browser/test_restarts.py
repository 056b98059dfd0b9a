"""A restart loses nothing: the server killed outright (both stacks), or Redis coming back empty.

The production stack has its own Redis here so it can be restarted; the embedded default keeps
Reflex's states in memory, so a restart loses all of them. The dancer's page is never reloaded:
it must reconnect and resync by itself.
"""

from __future__ import annotations

import os
import re
import signal
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect
from sqlmodel import select

from pika.db import make_engine, session_scope
from pika.models import Like, PollVote, TempoVote
from tests.browser.conftest import LiveApp, shot, stack_database
from tests.browser.test_live_loop import dancer, open_session
from tests.support.server import start_app
from tests.support.services import Redis, restart_redis, start_redis, stop_redis

TIMEOUT_MS = 20_000
LIKED = re.compile(r"\bliked\b")
CHOSEN = re.compile(r"\bchosen\b")
WEB_DIR = os.environ.get("PIKA_TEST_WEB_DIR", ".web-restart")


@dataclass
class Restartable:
    live: LiveApp
    redis: Redis | None  # None: the embedded default (SQLite, Reflex's states in memory)
    folder: Path
    starts: int = 1

    def kill_server(self) -> None:
        """SIGKILL the whole process group: no shutdown handler runs, as in a crash or an OOM kill."""
        os.killpg(self.live.app.process.pid, signal.SIGKILL)
        self.live.app.process.wait(timeout=10)

    def start_server(self) -> None:
        self.starts += 1
        self.live.app = start_app(database_url=self.live.database_url, redis_url=self.redis and self.redis.url,
                                  port=self.live.app.port, log_path=self.folder / f"app-{self.starts}.log",
                                  web_dir=WEB_DIR)

    def restart_redis(self) -> None:
        assert self.redis is not None, "the embedded default has no Redis"
        self.redis = restart_redis(self.redis)


@pytest.fixture(scope="module", params=["embedded", "production"])
def restartable(request, tmp_path_factory) -> Iterator[Restartable]:
    folder = tmp_path_factory.mktemp(f"app-restarts-{request.param}")
    database_url = stack_database(request, folder, "r")
    redis = start_redis() if request.param == "production" else None  # its own, to restart
    app = start_app(database_url=database_url, redis_url=redis and redis.url, log_path=folder / "app-1.log",
                    web_dir=WEB_DIR)
    target = Restartable(LiveApp(request.param, app, database_url), redis, folder)
    try:
        yield target
    finally:
        target.live.app.stop()
        if target.redis:
            stop_redis(target.redis)


@pytest.fixture
def live(restartable) -> LiveApp:
    """For conftest's fail_on_app_errors: the app's log must stay free of errors."""
    return restartable.live


def play_body(title: str) -> dict:
    return {"play_id": str(uuid.uuid4()), "artist": "Nova Lane", "title": title,
            "played_at": datetime.now(UTC).isoformat(), "source": "test"}


def send(live: LiveApp, dj: dict, session_id: str, body: dict) -> None:
    r = live.api("POST", f"/sessions/{session_id}/plays", dj, body)
    assert r.status_code == 200, r.text


def rows(live: LiveApp, model, **where) -> list:
    engine = make_engine(live.database_url)
    try:
        with session_scope(engine) as db:
            query = select(model)
            for name, value in where.items():
                query = query.where(getattr(model, name) == value)
            return [row.model_dump() for row in db.exec(query)]
    finally:
        engine.dispose()


def a_dancer_in_full_swing(browser, live: LiveApp, title: str):
    """A session with a play and an open poll; one dancer who liked, voted on the tempo and in the poll."""
    dj = live.new_dj()
    session_id = open_session(live, dj, title)
    first = play_body("Before the storm")
    send(live, dj, session_id, first)
    page = dancer(browser, live, session_id)
    expect(page.locator("#now-title")).to_have_text("Before the storm", timeout=TIMEOUT_MS)
    page.locator("#like-now").click()
    page.locator("#tempo-faster").click()
    poll = live.api("POST", f"/sessions/{session_id}/polls", dj, {"question": "Next style?", "options": ["Blues", "Pop"]})
    assert poll.status_code == 201, poll.text
    page.locator(".poll-option", has_text="Pop").click()
    expect(page.locator(".poll-option", has_text="Pop")).to_contain_text("100%", timeout=TIMEOUT_MS)
    expect(page.locator("#like-now")).to_contain_text("1", timeout=TIMEOUT_MS)  # the leader's coalesced count
    assert len(rows(live, Like, play_id=first["play_id"])) == 1
    assert len(rows(live, TempoVote, play_id=first["play_id"])) == 1
    assert len(rows(live, PollVote, poll_id=poll.json()["id"])) == 1
    return dj, session_id, first, page


def expect_the_same_picture(page) -> None:
    expect(page.locator("#history .history-title")).to_have_text(["Before the storm"], timeout=TIMEOUT_MS)
    expect(page.locator("#history .heart").first).to_have_class(LIKED)
    expect(page.locator("#poll-question")).to_have_text("Next style?")
    expect(page.locator(".poll-option", has_text="Pop")).to_contain_text("100%")
    expect(page.locator(".poll-option", has_text="Pop")).to_be_disabled()


def expect_a_new_like_accepted(live: LiveApp, page, play_id: str) -> None:
    expect(page.locator("#like-now")).not_to_have_class(LIKED)
    page.locator("#like-now").click()
    expect(page.locator("#like-now")).to_have_class(LIKED)
    # Accepted by the server (stored), and counted back to the floor by the leader.
    expect(page.locator("#like-now")).to_contain_text("1", timeout=TIMEOUT_MS)
    assert len(rows(live, Like, play_id=play_id)) == 1
    expect(page.locator("#like-now")).to_have_class(LIKED)  # not turned back by a refusal


def test_a_killed_server_comes_back_and_the_page_resyncs_by_itself(browser, restartable: Restartable):
    live = restartable.live
    dj, session_id, _, page = a_dancer_in_full_swing(browser, live, "Power cut")
    restartable.kill_server()
    # The agent's next play while the server is down fails, and stays in its outbox.
    outbox = play_body("After the storm")
    with pytest.raises(httpx.TransportError):
        live.api("POST", f"/sessions/{session_id}/plays", dj, outbox)
    restartable.start_server()

    # The page was not reloaded: it reconnected to the new server and shows the same picture.
    expect(page.locator("#now-title")).to_have_text("Before the storm", timeout=TIMEOUT_MS)
    expect(page.locator("#like-now")).to_have_class(LIKED)
    expect(page.locator("#tempo-faster")).to_have_class(CHOSEN)
    expect(page.locator(".poll-option", has_text="Pop")).to_contain_text("100%")
    # The outbox retries: the play reaches the page through the new server's room.
    send(live, dj, session_id, outbox)
    expect(page.locator("#now-title")).to_have_text("After the storm", timeout=TIMEOUT_MS)
    expect_the_same_picture(page)
    expect_a_new_like_accepted(live, page, outbox["play_id"])
    assert live.api("GET", f"/sessions/{session_id}", dj).json()["status"] == "live"
    shot(page, f"restart-server-killed-{live.name}")


@pytest.mark.parametrize("restartable", ["production"], indirect=True)
def test_redis_coming_back_empty_loses_nothing_the_page_shows(browser, restartable: Restartable):
    live = restartable.live
    dj, session_id, first, page = a_dancer_in_full_swing(browser, live, "Redis flush")
    restartable.restart_redis()  # Reflex's per-dancer states and the room copies are gone

    second = play_body("After the flush")
    send(live, dj, session_id, second)
    expect(page.locator("#now-title")).to_have_text("After the flush", timeout=TIMEOUT_MS)
    expect_the_same_picture(page)
    expect_a_new_like_accepted(live, page, second["play_id"])
    # Still one dancer: the new like is under the same dancer id as the first one.
    (old,), (new,) = rows(live, Like, play_id=first["play_id"]), rows(live, Like, play_id=second["play_id"])
    assert new["dancer_id"] == old["dancer_id"]
    shot(page, "restart-redis-empty")
