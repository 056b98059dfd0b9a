"""What a dancer reads when a limit says no: a refused tap shows when to try again, a refused socket
says why in plain words, and both come back by themselves. Short windows via LIMIT_OVERRIDES."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, LiveApp, shot
from tests.browser.test_live_loop import open_session, post_play
from tests.support.server import migrated, start_app

TIMEOUT_MS = 10_000
CONNECTS, CONNECT_WINDOW = 3, 15
LIKES = 3


@pytest.fixture(scope="module")
def live(tmp_path_factory) -> Iterator[LiveApp]:
    folder = tmp_path_factory.mktemp("app-limits")
    database_url = f"sqlite:///{folder / 'pika.db'}"
    migrated(database_url)
    app = start_app(database_url=database_url, log_path=folder / "app.log", extra_env={
        "LIMIT_OVERRIDES": f"connects={CONNECTS}/{CONNECT_WINDOW},likes={LIKES}/20",
        # Each test's phones come from their own network (X-Forwarded-For through one trusted proxy).
        "REFLEX_TRUSTED_PROXY_HOPS": "1",
    })
    try:
        yield LiveApp("limits", app, database_url)
    finally:
        app.stop()


def phone_from(browser, network: str):
    return browser.new_context(viewport=PHONE, device_scale_factor=2,
                               extra_http_headers={"X-Forwarded-For": network}).new_page()


def test_a_refused_like_tells_the_dancer_when_to_try_again(browser, live: LiveApp):
    dj = live.new_dj()
    session_id = open_session(live, dj, "Too keen")
    post_play(live, dj, session_id, "Slow Burn Sunday")
    page = phone_from(browser, "198.51.100.10")
    page.goto(f"{live.url}/live/{session_id}")
    heart = page.locator("#like-now")
    for count in ("1", "0", "1"):  # like, unlike, like: three taps, all counted
        heart.click()
        expect(heart).to_contain_text(count, timeout=TIMEOUT_MS)
    heart.click()  # the fourth: refused
    toast = page.get_by_text(re.compile(r"Easy there .* Try again in \d+ s\."))
    expect(toast).to_be_visible(timeout=TIMEOUT_MS)
    expect(heart).to_contain_text("1")  # the heart went back to what is stored
    page.wait_for_timeout(600)  # the toast's slide-in, for the screenshot
    shot(page, "limits-like-refused")
    page.context.close()


def test_a_refused_socket_says_why_and_connects_by_itself(browser, live: LiveApp):
    dj = live.new_dj()
    session_id = open_session(live, dj, "Crowded venue")
    post_play(live, dj, session_id, "Slow Burn Sunday")
    network = "198.51.100.20"
    started = time.monotonic()
    phones = []
    for _ in range(CONNECTS):
        page = phone_from(browser, network)
        page.goto(f"{live.url}/live/{session_id}")
        expect(page.locator("#now-title")).to_have_text("Slow Burn Sunday", timeout=TIMEOUT_MS)
        phones.append(page)
    late = phone_from(browser, network)
    late.goto(f"{live.url}/live/{session_id}")
    notice = late.locator("#connect-refused")
    expect(notice).to_contain_text(re.compile(r"Lots of phones are joining from your network\. "
                                              r"Pika! connects you by itself in about \d+ s\."), timeout=TIMEOUT_MS)
    expect(late.locator("#now-title")).not_to_be_visible()
    shot(late, "limits-connect-refused")
    # The Reflex client retries every ~2 s; once the window has moved on it gets in, and the notice goes.
    remaining_ms = (started + CONNECT_WINDOW + 10 - time.monotonic()) * 1000
    expect(late.locator("#now-title")).to_have_text("Slow Burn Sunday", timeout=remaining_ms)
    expect(notice).to_have_count(0)
    shot(late, "limits-connect-recovered")
    for page in [*phones, late]:
        page.context.close()
