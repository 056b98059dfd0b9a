"""Sign-in: a refused token is said plainly; an accepted one is kept owner-only in the config folder."""

from __future__ import annotations

import json
import stat
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from textual.widgets import Input, Static

from agent.core.token_store import token_path
from agent.tui.screens.signin import SignInScreen
from agent.tui.screens.source import SourceScreen
from tests.agent.tui.conftest import SIZE, agent, until


def message(app) -> str:
    return str(app.screen.query_one("#signin-message", Static).render())


async def sign_in_with(pilot, token: str) -> None:
    field = pilot.app.screen.query_one("#token", Input)
    field.value = token
    field.focus()
    await pilot.press("enter")


async def test_a_bad_token_gets_a_plain_401_message_and_is_not_saved(config):
    app = agent(config)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, SignInScreen)
        await sign_in_with(pilot, "pk_dj_not-a-real-token")
        await until(pilot, lambda: "401" in message(app), what="the refusal")
        assert "refused this token" in message(app)
        assert "unknown or has been revoked" in message(app)  # the server's own words
        assert isinstance(app.screen, SignInScreen)
    assert not token_path(config.config_dir).exists()


async def test_an_unreachable_server_and_a_bad_address_are_explained(config):
    config.server = "http://127.0.0.1:9"  # nothing listens on the discard port
    app = agent(config)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_with(pilot, "pk_dj_whatever")
        await until(pilot, lambda: "Cannot reach" in message(app), what="the offline message")
        app.screen.query_one("#server", Input).value = "not a url"
        await sign_in_with(pilot, "pk_dj_whatever")
        await until(pilot, lambda: "must look like" in message(app), what="the address hint")


class _RedisRestarting(BaseHTTPRequestHandler):
    """Pika's API while its Redis restarts: every request answers 503 with the API's error body."""

    def do_GET(self):
        body = json.dumps({"error": "unavailable",
                           "detail": "The live room is briefly unavailable; try again in a moment."}).encode()
        self.send_response(503)
        self.send_header("Content-Type", "application/json")
        self.send_header("Retry-After", "2")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args):
        pass


async def test_a_server_briefly_unavailable_says_why_in_one_sentence(config):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _RedisRestarting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    config.server = f"http://127.0.0.1:{server.server_port}"
    try:
        app = agent(config)
        async with app.run_test(size=SIZE) as pilot:
            await sign_in_with(pilot, "pk_dj_whatever")
            await until(pilot, lambda: "503" in message(app), what="the 503 message")
            assert ("the server answered 503: The live room is briefly unavailable; try again in a moment. "
                    "Check the address") in " ".join(message(app).split())
            assert isinstance(app.screen, SignInScreen)
    finally:
        server.shutdown()
        server.server_close()


async def test_a_good_token_is_kept_owner_only_and_signs_in(config, floor):
    app = agent(config)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in_with(pilot, floor.token)
        await until(pilot, lambda: isinstance(app.screen, SourceScreen), what="the source screen")
        assert app.dj["slug"] == floor.slug
    path = token_path(config.config_dir)
    assert path.read_text().strip() == floor.token
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(config.config_dir.stat().st_mode) == 0o700
    # The token is nowhere else: not in the settings file, not in the data folder.
    assert floor.token not in config.config_file.read_text()
    assert all(floor.token.encode() not in p.read_bytes() for p in config.data_dir.rglob("*") if p.is_file())
