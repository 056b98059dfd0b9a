"""End to end: the real agent watches a VirtualDJ history folder; a line VirtualDJ appends
becomes a play on the server and shows up on a dancer's phone.

The agent (Textual app + detection core + Sender) runs headless in its own thread with its
own event loop: this process runs without pytest-asyncio, next to Playwright's sync API.
"""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect
from sqlmodel import select

from agent.core.config import AgentConfig
from agent.core.token_store import save_token
from agent.tui.app import PikaAgent, Tuning, make_app
from pika.db import make_engine, session_scope
from pika.models import Play
from tests.browser.conftest import LiveApp, shot
from tests.support.server import migrated, start_app
from tests.support.services import create_database

TIMEOUT_MS = 15_000
FAST = Tuning(settle_s=0.3, poll_s=0.5, debounce_s=0.05, crowd_every_s=0.5, heartbeat_s=2.0)


@pytest.fixture(scope="module", params=["embedded", "production"])
def live(request, tmp_path_factory) -> Iterator[LiveApp]:
    """As tests/browser/conftest.py's, but built in its own folder (.web-agent): other suites
    and benchmarks build .web at the same time."""
    folder = tmp_path_factory.mktemp(f"agent-app-{request.param}")
    if request.param == "embedded":
        database_url, redis_url = f"sqlite:///{folder / 'pika.db'}", None
    else:
        database_url = create_database(request.getfixturevalue("postgres"), f"a_{uuid.uuid4().hex[:10]}")
        redis_url = request.getfixturevalue("redis_server").url
    migrated(database_url)
    app = start_app(database_url=database_url, redis_url=redis_url, log_path=folder / "app.log", web_dir=".web-agent")
    try:
        yield LiveApp(request.param, app, database_url)
    finally:
        app.stop()


class AgentThread:
    """The whole agent app, headless, on a thread of its own until stop()."""

    def __init__(self, config: AgentConfig) -> None:
        self.app: PikaAgent = make_app(config, tuning=FAST, auto_source=True)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=lambda: asyncio.run(self._run()), name="agent", daemon=True)
        self.error: BaseException | None = None

    async def _run(self) -> None:
        try:
            async with self.app.run_test(size=(130, 45)) as pilot:
                while not self._stop.is_set():
                    await pilot.pause(0.1)
        except BaseException as exc:  # surfaced by wait_for in the test's thread
            self.error = exc

    def start(self) -> AgentThread:
        self._thread.start()
        return self

    def wait_for(self, predicate, timeout: float = 30.0, what: str = ""):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.error is not None:
                raise AssertionError(f"the agent crashed: {self.error!r}")
            if value := predicate():
                return value
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what}")

    def live_screen(self):
        """The live screen once it has a session (read from the test's thread: attributes only)."""
        stack = self.app.screen_stack  # empty until the app has mounted
        screen = stack[-1] if stack else None
        return screen if getattr(screen, "session", None) is not None else None

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(30)


def vdj_entry(artist: str, title: str, started: int) -> bytes:
    """One VirtualDJ history entry as VirtualDJ appends it (CRLF; #EXTVDJ line, then the file)."""
    return (f"#EXTVDJ:<time>{datetime.fromtimestamp(started):%H:%M}</time><lastplaytime>{started}</lastplaytime>"
            f"<filesize>8123456</filesize><artist>{artist}</artist><title>{title}</title>"
            f"<remix>Extended Mix</remix>\r\nC:\\Users\\dj\\Music\\WCS\\{artist} - {title}.mp3\r\n").encode()


def test_a_virtualdj_line_reaches_the_dancers_phone(browser, live: LiveApp, tmp_path):
    token = live.new_dj()["Authorization"].removeprefix("Bearer ")
    history = tmp_path / "VirtualDJ" / "History"
    history.mkdir(parents=True)
    day_file = history / f"{datetime.now(UTC):%Y-%m-%d}.m3u"
    day_file.write_bytes(b"\xef\xbb\xbf#EXTM3U\r\n")  # VirtualDJ starts the day's file with a BOM
    config = AgentConfig(server=live.url, source="virtualdj", path=str(tmp_path / "VirtualDJ"),
                         config_dir=tmp_path / "config", data_dir=tmp_path / "data")
    save_token(config.config_dir, token)

    agent = AgentThread(config).start()
    try:
        session_id = agent.wait_for(agent.live_screen, what="the agent to go live").session.id
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(f"{live.url}/live/{session_id}")
        expect(page.locator("#waiting")).to_be_visible(timeout=TIMEOUT_MS)

        started = int(time.time())
        with day_file.open("ab") as handle:  # VirtualDJ appends the track it counts as played
            handle.write(vdj_entry("Nova Lane", "Slow Burn Sunday", started))
        expect(page.locator("#now-title")).to_have_text("Slow Burn Sunday", timeout=TIMEOUT_MS)
        expect(page.locator("#now-artist")).to_have_text("Nova Lane")
        expect(page.locator("#now-version")).to_have_text("Extended Mix")
        shot(page, f"{live.name}-agent-to-dancer")

        engine = make_engine(live.database_url)
        with session_scope(engine) as db:
            [play] = db.exec(select(Play).where(Play.session_id == session_id)).all()
            assert play.played_at == datetime.fromtimestamp(started, UTC)  # VirtualDJ's own start time
            assert play.source == "virtualdj"
        engine.dispose()
        assert agent.live_screen().current.play_id == play.id
    finally:
        agent.stop()
