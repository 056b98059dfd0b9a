"""Two backend workers sharing PostgreSQL and Redis: a room update reaches sockets on both."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import psutil
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LiveApp
from tests.browser.test_live_loop import open_session, post_play
from tests.support.server import migrated, start_app
from tests.support.services import create_database

TIMEOUT_MS = 10_000
PHONES = 6  # enough that both workers hold some of the sockets


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory, postgres, redis_server) -> Iterator[LiveApp]:
    folder = tmp_path_factory.mktemp("app-2w")
    database_url = create_database(postgres, f"w_{uuid.uuid4().hex[:10]}")
    migrated(database_url)
    app = start_app(database_url=database_url, redis_url=redis_server.url, log_path=folder / "app.log", workers=2,
                    web_dir=".web-2w")
    try:
        yield LiveApp("two-workers", app, database_url)
    finally:
        app.stop()


def test_plays_likes_and_listeners_cross_workers(browser, two_workers: LiveApp):
    live = two_workers
    dj = live.new_dj()
    session_id = open_session(live, dj, "Big room")
    post_play(live, dj, session_id, "Opener")
    pages = []
    for _ in range(PHONES):
        page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
        page.goto(f"{live.url}/live/{session_id}")
        expect(page.locator("#now-title")).to_have_text("Opener", timeout=TIMEOUT_MS)
        pages.append(page)
    # Every phone gets the next play, whichever worker holds its socket and whichever got the POST.
    for title in ("Second", "Third"):
        post_play(live, dj, session_id, title)
        for page in pages:
            expect(page.locator("#now-title")).to_have_text(title, timeout=TIMEOUT_MS)
    # A like on one phone reaches all the others; the DJ's feed agrees.
    pages[0].locator("#like-now").click()
    for page in pages[1:]:
        expect(page.locator("#like-now")).to_contain_text("1", timeout=TIMEOUT_MS)
    crowd = live.api("GET", f"/sessions/{session_id}/crowd", dj).json()
    assert crowd["likes_current"] == 1
    assert crowd["listeners"] == PHONES
    # Both workers hold some of the phones' sockets (otherwise this proves nothing about crossing them).
    assert len(workers_with_connections(live)) == 2


def workers_with_connections(live: LiveApp) -> set[int]:
    holders = set()
    for child in psutil.Process(live.app.process.pid).children(recursive=True):
        try:
            connections = child.net_connections(kind="tcp")
        except psutil.Error:
            continue
        if any(c.laddr and c.laddr.port == live.app.port and c.status == psutil.CONN_ESTABLISHED for c in connections):
            holders.add(child.pid)
    return holders
