"""The live loop as dancers meet it: plays reach every phone in their session, and only there."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta

from playwright.sync_api import expect

from tests.browser.conftest import LiveApp, shot

TIMEOUT_MS = 10_000


def post_play(live: LiveApp, headers: dict, session_id: str, title: str, artist: str = "Nova Lane",
              at: datetime | None = None, **extra) -> float:
    body = {"play_id": str(uuid.uuid4()), "artist": artist, "title": title,
            "played_at": (at or datetime.now(UTC)).isoformat(), "source": "test", **extra}
    sent = time.perf_counter()
    r = live.api("POST", f"/sessions/{session_id}/plays", headers, body)
    assert r.status_code == 200, r.text
    return sent


def open_session(live: LiveApp, headers: dict, title: str) -> str:
    r = live.api("POST", "/sessions", headers, {"title": title})
    assert r.status_code == 201, r.text
    return r.json()["id"]


def dancer(browser, live: LiveApp, session_id: str):
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    page = context.new_page()
    page.goto(f"{live.url}/live/{session_id}")
    expect(page.locator("#session-title")).to_be_visible(timeout=TIMEOUT_MS)
    return page


def wait_for_title(page, title: str, since: float) -> float:
    expect(page.locator("#now-title")).to_have_text(title, timeout=TIMEOUT_MS)
    return time.perf_counter() - since


def test_plays_reach_both_phones_in_the_session_and_never_the_other(browser, live: LiveApp):
    dj = live.new_dj()
    a = open_session(live, dj, "Session A")
    b = open_session(live, dj, "Session B")
    a1, a2, b1 = dancer(browser, live, a), dancer(browser, live, a), dancer(browser, live, b)
    expect(a1.locator("#waiting")).to_be_visible()
    shot(a1, f"{live.name}-waiting")

    sent = post_play(live, dj, a, "Slow Burn Sunday", bpm=92.4, key="Am", version="Extended Mix")
    latencies = [wait_for_title(a1, "Slow Burn Sunday", sent), wait_for_title(a2, "Slow Burn Sunday", sent)]
    print(f"\n[{live.name}] POST → dancer screen: {', '.join(f'{x * 1000:.0f} ms' for x in latencies)}")
    expect(a1.locator("#now-artist")).to_have_text("Nova Lane")
    expect(a1.locator("#now-bpm")).to_have_text("92 BPM")
    expect(a1.locator("#now-key")).to_have_text("Key Am")
    expect(a1.locator("#now-version")).to_have_text("Extended Mix")
    shot(a1, f"{live.name}-playing")

    # Session B's phone is still waiting: nothing of A leaks into it.
    sent_b = post_play(live, dj, b, "Anchor Step", artist="Marisol Reyes")
    wait_for_title(b1, "Anchor Step", sent_b)
    expect(b1.locator("#history .history-row")).to_have_count(0)
    expect(a1.locator("#now-title")).to_have_text("Slow Burn Sunday")
    expect(a2.locator("#now-title")).to_have_text("Slow Burn Sunday")
    assert "Slow Burn Sunday" not in b1.content()

    # The next play in A moves the first one into A's history, newest first, without a reload.
    sent = post_play(live, dj, a, "Push & Pull", artist="The Velvet Hours")
    wait_for_title(a2, "Push & Pull", sent)
    expect(a2.locator("#history .history-title")).to_have_text(["Slow Burn Sunday (Extended Mix)"])
    expect(b1.locator("#now-title")).to_have_text("Anchor Step")


def test_a_late_joiner_sees_now_playing_and_history_at_once(browser, live: LiveApp):
    dj = live.new_dj()
    session_id = open_session(live, dj, "Late joiners welcome")
    start = datetime.now(UTC) - timedelta(minutes=20)
    for i, title in enumerate(["First", "Second", "Third"]):
        post_play(live, dj, session_id, title, at=start + timedelta(minutes=5 * i))
    # A play replayed from the agent's offline queue: older, so it goes into history only.
    post_play(live, dj, session_id, "Offline replay", at=start + timedelta(minutes=2))

    page = dancer(browser, live, session_id)
    expect(page.locator("#now-title")).to_have_text("Third")
    expect(page.locator("#history .history-title")).to_have_text(["Second", "Offline replay", "First"])
    expect(page.locator("#listeners")).to_have_text("1")
    shot(page, f"{live.name}-late-joiner")


def test_an_ended_session_says_thanks(browser, live: LiveApp):
    dj = live.new_dj()
    session_id = open_session(live, dj, "Last dance")
    post_play(live, dj, session_id, "Connection", artist="Ada Lux")
    page = dancer(browser, live, session_id)
    expect(page.locator("#now-title")).to_have_text("Connection")
    assert live.api("POST", f"/sessions/{session_id}/end", dj).status_code == 200
    expect(page.locator("#ended-message")).to_have_text("Session ended — thanks for dancing!", timeout=TIMEOUT_MS)
    expect(page.locator("#status-pill")).to_have_text("Ended")
    # The last track is part of the set list now.
    expect(page.locator("#history .history-title")).to_have_text(["Connection"])
    shot(page, f"{live.name}-ended")
    # A dancer arriving after the end sees the same screen, and the way to the recap.
    late = dancer(browser, live, session_id)
    expect(late.locator("#ended-message")).to_be_visible()
    late.locator("#recap-link").click()
    expect(late.locator("#recap-title")).to_have_text("Last dance", timeout=TIMEOUT_MS)
    expect(late.locator(".recap-track")).to_have_count(1)
    expect(late.locator(".recap-track")).to_contain_text("Connection")
    shot(late, f"{live.name}-recap")


def test_lobby_lists_live_sessions_and_the_qr_page_shows_the_code(browser, live: LiveApp):
    dj = live.new_dj("lobby-" + uuid.uuid4().hex[:6])
    session_id = open_session(live, dj, "Lobby check")
    post_play(live, dj, session_id, "Sugar Push Theory", artist="Kid Compass")
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{live.url}/live")
    card = page.locator(".lobby-session", has_text="Lobby check")
    expect(card).to_contain_text("Sugar Push Theory — Kid Compass")
    card.click()
    expect(page.locator("#now-title")).to_have_text("Sugar Push Theory")
    shot(page, f"{live.name}-lobby-to-session")

    page.goto(f"{live.url}/live/{session_id}/qr")
    expect(page.locator("#join-url")).to_have_text(f"{live.url}/live/{session_id}")
    expect(page.locator("#qr-image")).to_be_visible()
    assert page.locator("#qr-image").evaluate("img => img.naturalWidth") > 0


def test_an_unknown_session_link_explains_itself(browser, live: LiveApp):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(f"{live.url}/live/zzzzzzzzzzzz")
    expect(page.locator("#not-found")).to_be_visible(timeout=TIMEOUT_MS)


def test_a_long_set_keeps_its_history_newest_first_as_plays_arrive(browser, live: LiveApp):
    """Pushes carry only the history block a play changed (pika/domain/history.py); the phone still
    shows the whole set so far in order, past block boundaries, with each row's own like count."""
    dj = live.new_dj()
    session_id = open_session(live, dj, "Long night")
    start = datetime.now(UTC) - timedelta(hours=3)
    titles = [f"Track {k:02}" for k in range(45)]

    def play(k: int) -> dict:
        return {"play_id": str(uuid.uuid4()), "artist": "Nova Lane", "title": titles[k],
                "played_at": (start + timedelta(minutes=4 * k)).isoformat(), "source": "test"}

    r = live.api("POST", f"/sessions/{session_id}/plays/batch", dj, {"plays": [play(k) for k in range(10)]})
    assert r.status_code == 200, r.text
    page = dancer(browser, live, session_id)
    expect(page.locator("#now-title")).to_have_text("Track 09")
    for k in range(10, 16):  # live, one push each, across the end of a block
        post_play(live, dj, session_id, titles[k], at=start + timedelta(minutes=4 * k))
        expect(page.locator("#now-title")).to_have_text(titles[k], timeout=TIMEOUT_MS)
    expect(page.locator("#history .history-title")).to_have_text(list(reversed(titles[:15])), timeout=TIMEOUT_MS)

    # A like on an older row shows on that row (its block's counts), and on no other.
    oldest = page.locator("#history .history-row").last
    oldest.locator(".heart").click()
    expect(oldest.locator(".heart")).to_have_text("1", timeout=TIMEOUT_MS)
    expect(page.locator("#history .history-row").first.locator(".heart")).to_have_text("0")

    r = live.api("POST", f"/sessions/{session_id}/plays/batch", dj, {"plays": [play(k) for k in range(16, 44)]})
    assert r.status_code == 200, r.text
    post_play(live, dj, session_id, titles[44], at=start + timedelta(minutes=4 * 44))
    expect(page.locator("#now-title")).to_have_text("Track 44", timeout=TIMEOUT_MS)
    # Mid-set: at least the last 30 tracks, newest first, the same as a phone that joins now.
    shown = page.locator("#history .history-title")
    expect(shown.nth(29)).to_have_text(titles[14], timeout=TIMEOUT_MS)
    assert shown.all_text_contents() == list(reversed(titles[:44]))[: shown.count()]
    late = dancer(browser, live, session_id)
    expect(late.locator("#history .history-title")).to_have_text(shown.all_text_contents())
    shot(page, f"{live.name}-long-set")
