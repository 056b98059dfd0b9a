"""The dancer app installs as a PWA, works offline with a friendly page, and never caches live data."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import LiveApp
from tests.browser.test_live_loop import open_session, post_play

TIMEOUT_MS = 15_000


def test_manifest_icons_service_worker_and_offline_page(browser, live: LiveApp):
    dj = live.new_dj()
    session_id = open_session(live, dj, "PWA check")
    post_play(live, dj, session_id, "Installable")
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live.url}/live/{session_id}")
    expect(page.locator("#now-title")).to_have_text("Installable", timeout=TIMEOUT_MS)

    manifest_href = page.locator("link[rel=manifest]").get_attribute("href")
    manifest = page.request.get(f"{live.url}{manifest_href}").json()
    assert manifest["display"] == "standalone" and manifest["start_url"] == "/live"
    for icon in manifest["icons"]:
        assert page.request.get(f"{live.url}{icon['src']}").headers["content-type"] == "image/png"

    # The service worker takes control.
    assert page.evaluate("navigator.serviceWorker.ready.then(r => r.active !== null)")
    page.reload()
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=TIMEOUT_MS)
    expect(page.locator("#now-title")).to_have_text("Installable", timeout=TIMEOUT_MS)

    # Nothing live is in the cache: no API answers, no socket, no page state.
    cached = page.evaluate("""async () => {
        const out = [];
        for (const name of await caches.keys()) {
            for (const req of await (await caches.open(name)).keys()) out.push(new URL(req.url).pathname);
        }
        return out;
    }""")
    assert "/offline.html" in cached
    assert not [p for p in cached if p.startswith(("/api", "/_event", "/live"))], cached

    # Offline: a friendly page instead of the browser's error.
    context.set_offline(True)
    page.goto(f"{live.url}/live/{session_id}")
    expect(page.locator("#offline")).to_contain_text("You're offline")
    context.set_offline(False)
    context.close()
