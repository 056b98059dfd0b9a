"""The production server's security headers, and the pages working under its Content-Security-Policy.

Every browser test fails on a CSP violation (conftest.fail_on_csp_violations); this one also
proves that the detector sees one, and checks the headers on each kind of response.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import LiveApp, shot
from tests.browser.test_live_loop import dancer, open_session, post_play
from tests.support.server import migrated, start_app

TIMEOUT_MS = 10_000


@pytest.fixture(scope="module")
def live(tmp_path_factory) -> Iterator[LiveApp]:
    # One stack is enough: the headers come from the same middleware whatever the storage.
    folder = tmp_path_factory.mktemp("app-headers")
    database_url = f"sqlite:///{folder / 'pika.db'}"
    migrated(database_url)
    app = start_app(database_url=database_url, log_path=folder / "app.log")
    try:
        yield LiveApp("headers", app, database_url)
    finally:
        app.stop()


def directives(response: httpx.Response) -> dict[str, str]:
    csp = response.headers["content-security-policy"]
    return {name: value for name, _, value in (d.strip().partition(" ") for d in csp.split(";"))}


def assert_security_headers(response: httpx.Response, origin: str) -> dict[str, str]:
    csp = directives(response)
    assert csp["frame-ancestors"] == "'none'"
    assert csp["default-src"] == "'self'" and csp["object-src"] == "'none'"
    assert "unsafe-eval" not in response.headers["content-security-policy"]
    assert "unsafe-inline" not in csp["script-src"]
    assert csp["connect-src"] == f"'self' {origin.replace('http://', 'ws://')}"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "strict-transport-security" not in response.headers  # plain http: HSTS only under https
    return csp


def test_headers_on_a_page_an_asset_the_api_and_404s(live: LiveApp):
    dj = live.new_dj()
    session_id = open_session(live, dj, "Headers")
    with httpx.Client(base_url=live.url, timeout=10) as http:
        page = http.get(f"/live/{session_id}")
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        csp = assert_security_headers(page, live.url)
        # 'self' and exactly the hashes of this page's inline scripts (module ones included).
        inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", page.text, re.S)
        hashes = {f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'" for s in inline}
        assert len(inline) >= 3 and set(csp["script-src"].split()) == {"'self'", *hashes}

        asset = re.search(r'(/assets/[^"]+\.js)"', page.text).group(1)
        r = http.get(asset)
        assert r.status_code == 200 and "javascript" in r.headers["content-type"]
        assert_security_headers(r, live.url)

        r = http.get(f"/api/v1/sessions/{session_id}", headers=dj)
        assert r.status_code == 200 and r.json()["id"] == session_id
        assert_security_headers(r, live.url)

        for path in ("/no-such-page", "/api/v1/no-such-endpoint"):
            r = http.get(path)
            assert r.status_code == 404
            assert_security_headers(r, live.url)


def test_the_pages_work_under_the_policy(browser, live: LiveApp):
    dj = live.new_dj()
    session_id = open_session(live, dj, "Under the policy")
    post_play(live, dj, session_id, "Slow Burn Sunday")
    # The dancer page: scripts run, styles apply, the socket connects and the state arrives.
    phone = dancer(browser, live, session_id)
    expect(phone.locator("#now-title")).to_have_text("Slow Burn Sunday", timeout=TIMEOUT_MS)
    phone.locator("#like-now").click()
    expect(phone.locator("#like-now")).to_contain_text("1", timeout=TIMEOUT_MS)
    shot(phone, "csp-dancer")
    # The other pages a dancer or a projector opens, each loaded fresh.
    phone.goto(live.url)
    expect(phone.locator("#to-lobby")).to_be_visible(timeout=TIMEOUT_MS)
    phone.goto(f"{live.url}/live")
    expect(phone.locator("#lobby-list")).to_contain_text("Under the policy", timeout=TIMEOUT_MS)
    phone.goto(f"{live.url}/live/{session_id}/qr")
    expect(phone.locator("#qr-image")).to_have_js_property("complete", True, timeout=TIMEOUT_MS)
    assert phone.locator("#qr-image").evaluate("img => img.naturalWidth") > 0  # img-src allows the QR
    shot(phone, "csp-qr")
    # Back to a page this tab has cached: the server answers 304, and the cached page's policy holds.
    phone.goto(f"{live.url}/live/{session_id}")
    expect(phone.locator("#now-title")).to_have_text("Slow Burn Sunday", timeout=TIMEOUT_MS)


def test_the_violation_detector_sees_a_blocked_script(browser, live: LiveApp, fail_on_csp_violations):
    page = browser.new_context().new_page()
    page.goto(live.url)
    expect(page.locator("h1").first).to_be_visible(timeout=TIMEOUT_MS)
    page.evaluate("""() => { const s = document.createElement("script");
                              s.textContent = "window.injected = true"; document.body.append(s); }""")
    expect(page.locator("body")).to_be_visible()
    page.wait_for_timeout(300)
    assert page.evaluate("window.injected") is None  # the injected inline script did not run
    assert any("script-src" in v for v in fail_on_csp_violations), fail_on_csp_violations
    fail_on_csp_violations.clear()  # seen and expected: the test itself must not fail for it
    page.context.close()
