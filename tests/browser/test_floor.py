"""What dancers do on the floor, seen from two phones in one session and one in another."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import LiveApp, shot
from tests.browser.test_live_loop import dancer, open_session, post_play

TIMEOUT_MS = 10_000
LIKED = re.compile(r"\bliked\b")
CHOSEN = re.compile(r"\bchosen\b")


def test_likes_tempo_polls_announcements_and_thanks(browser, live: LiveApp):
    dj = live.new_dj()
    a = open_session(live, dj, "Floor A")
    b = open_session(live, dj, "Floor B")
    post_play(live, dj, a, "Slow Burn Sunday")
    post_play(live, dj, b, "Elsewhere")
    one, two, other = dancer(browser, live, a), dancer(browser, live, a), dancer(browser, live, b)
    expect(one.locator("#now-title")).to_have_text("Slow Burn Sunday")

    # Like: the heart fills at once; the other phone sees the count within about a second.
    one.locator("#like-now").click()
    expect(one.locator("#like-now")).to_have_class(LIKED)
    expect(two.locator("#like-now")).to_contain_text("1", timeout=TIMEOUT_MS)
    # Unlike: back to zero everywhere.
    one.locator("#like-now").click()
    expect(two.locator("#like-now")).to_contain_text("0", timeout=TIMEOUT_MS)

    # Tempo: my choice is highlighted, both phones see the split.
    one.locator("#tempo-faster").click()
    two.locator("#tempo-perfect").click()
    expect(one.locator("#tempo-faster")).to_contain_text("50%", timeout=TIMEOUT_MS)
    expect(one.locator("#tempo-perfect")).to_contain_text("50%", timeout=TIMEOUT_MS)
    expect(one.locator("#tempo-faster")).to_have_class(CHOSEN)
    # Tapping the chosen one clears it.
    one.locator("#tempo-faster").click()
    expect(two.locator("#tempo-perfect")).to_contain_text("100%", timeout=TIMEOUT_MS)

    # Poll: opened by the DJ, voted on one phone, live tallies on the other, winner on close.
    poll = live.api("POST", f"/sessions/{a}/polls", dj, {"question": "Next style?", "options": ["Blues", "Pop"],
                                                         "duration_s": 300}).json()
    expect(one.locator("#poll-question")).to_have_text("Next style?", timeout=TIMEOUT_MS)
    expect(one.locator("#poll-countdown")).to_contain_text("closes in")
    shot(one, f"{live.name}-poll-open")
    one.locator(".poll-option", has_text="Pop").click()
    expect(two.locator("#poll-total")).to_have_text("1 vote", timeout=TIMEOUT_MS)
    expect(two.locator(".poll-option", has_text="Pop")).not_to_contain_text("%")  # no results before voting
    two.locator(".poll-option", has_text="Pop").click()
    expect(two.locator(".poll-option", has_text="Pop")).to_contain_text("100%", timeout=TIMEOUT_MS)
    expect(one.locator(".poll-option", has_text="Pop")).to_be_disabled()
    # A late joiner on the same phone (another tab) sees the poll, its tallies and their own vote.
    again = one.context.new_page()
    again.goto(f"{live.url}/live/{a}")
    expect(again.locator(".poll-option", has_text="Pop")).to_contain_text("100%", timeout=TIMEOUT_MS)
    expect(again.locator(".poll-option", has_text="Pop")).to_be_disabled()
    again.close()
    live.api("POST", f"/sessions/{a}/polls/{poll['id']}/close", dj)
    expect(two.locator("#poll-result")).to_have_text("Winner: Pop", timeout=TIMEOUT_MS)
    shot(two, f"{live.name}-poll-closed")

    # Announcement: a banner on both phones, gone when cancelled.
    note = live.api("POST", f"/sessions/{a}/announcements", dj, {"message": "Last dance in 10 minutes!"}).json()
    expect(one.locator("#announcement")).to_contain_text("Last dance in 10 minutes!", timeout=TIMEOUT_MS)
    expect(two.locator("#announcement")).to_be_visible()
    shot(one, f"{live.name}-announcement")
    live.api("POST", f"/sessions/{a}/announcements/{note['id']}/cancel", dj)
    expect(one.locator("#announcement")).to_have_count(0, timeout=TIMEOUT_MS)

    # Thanks reach the DJ's crowd feed; a second tap within 10 s is refused with a message.
    one.locator("#thanks").click()
    expect(one.get_by_text("Thanks sent")).to_be_visible(timeout=TIMEOUT_MS)
    one.locator("#thanks").click()
    expect(one.get_by_text("once every 10 seconds")).to_be_visible(timeout=TIMEOUT_MS)
    crowd = live.api("GET", f"/sessions/{a}/crowd", dj).json()
    assert crowd["thanks_total"] == 1
    assert crowd["listeners"] == 2

    # Nothing of A reached B.
    expect(other.locator("#poll")).to_have_count(0)
    expect(other.locator("#announcement")).to_have_count(0)
    expect(other.locator("#like-now")).to_contain_text("0")
    assert live.api("GET", f"/sessions/{b}/crowd", dj).json()["thanks_total"] == 0


def test_the_like_limit_is_shown_and_the_heart_goes_back(browser, live: LiveApp):
    dj = live.new_dj()
    session_id = open_session(live, dj, "Limits")
    for i in range(12):
        post_play(live, dj, session_id, f"Track {i:02}")
    page = dancer(browser, live, session_id)
    hearts = page.locator("#history .heart")
    expect(hearts).to_have_count(11)
    page.locator("#like-now").click()
    for i in range(9):
        hearts.nth(i).click()
        expect(hearts.nth(i)).to_have_class(LIKED)
    hearts.nth(9).click()  # the 11th like within a minute
    expect(page.get_by_text("10 per minute")).to_be_visible(timeout=TIMEOUT_MS)
    expect(hearts.nth(9)).not_to_have_class(LIKED)


def test_liked_tracks_show_up_in_the_dancers_journal(browser, live: LiveApp):
    dj = live.new_dj()
    session_id = open_session(live, dj, "Journal night")
    post_play(live, dj, session_id, "Keeper", artist="Ada Lux")
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live.url}/live/{session_id}")
    expect(page.locator("#now-title")).to_have_text("Keeper", timeout=TIMEOUT_MS)
    page.locator("#like-now").click()
    expect(page.locator("#like-now")).to_have_class(LIKED)
    # Another tab of the same browser is the same dancer.
    journal = context.new_page()
    journal.goto(f"{live.url}/me/likes")
    expect(journal.locator(".journal-track")).to_contain_text(["Keeper"], timeout=TIMEOUT_MS)
    expect(journal.locator("#journal")).to_contain_text("Journal night")
    # A different browser (another dancer) has an empty journal.
    stranger = browser.new_page()
    stranger.goto(f"{live.url}/me/likes")
    expect(stranger.locator("#journal-empty")).to_be_visible(timeout=TIMEOUT_MS)


def test_a_pin_protected_session_asks_once(browser, live: LiveApp):
    dj = live.new_dj()
    r = live.api("POST", "/sessions", dj, {"title": "Private party", "pin": "4821"})
    session_id = r.json()["id"]
    post_play(live, dj, session_id, "Secret track")
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(f"{live.url}/live/{session_id}")
    expect(page.locator("#pin-gate")).to_be_visible(timeout=TIMEOUT_MS)
    assert "Secret track" not in page.content()
    shot(page, f"{live.name}-pin-gate")
    page.locator("#pin-input").fill("0000")
    page.locator("#pin-submit").click()
    expect(page.locator("#pin-error")).to_contain_text("not right", timeout=TIMEOUT_MS)
    page.locator("#pin-input").fill("4821")
    page.locator("#pin-submit").click()
    expect(page.locator("#now-title")).to_have_text("Secret track", timeout=TIMEOUT_MS)
    page.reload()  # entered once: no PIN on the next visit
    expect(page.locator("#now-title")).to_have_text("Secret track", timeout=TIMEOUT_MS)
    stranger = browser.new_page()
    stranger.goto(f"{live.url}/live/{session_id}")
    expect(stranger.locator("#pin-gate")).to_be_visible(timeout=TIMEOUT_MS)


def test_likes_tapped_offline_are_delivered_on_reconnect(browser, live: LiveApp):
    dj = live.new_dj()
    session_id = open_session(live, dj, "Patchy Wi-Fi")
    post_play(live, dj, session_id, "Before the tunnel")
    post_play(live, dj, session_id, "In the tunnel")
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live.url}/live/{session_id}")
    expect(page.locator("#now-title")).to_have_text("In the tunnel", timeout=TIMEOUT_MS)
    context.set_offline(True)
    page.wait_for_function("() => !window.navigator.onLine")
    page.locator("#like-now").click()
    page.locator("#history .heart").first.click()
    page.wait_for_timeout(1500)
    # Really offline: nothing reached the server yet.
    assert live.api("GET", f"/sessions/{session_id}/crowd", dj).json()["likes_total"] == 0
    context.set_offline(False)
    expect(page.locator("#like-now")).to_have_class(LIKED, timeout=20_000)
    expect(page.locator("#history .heart").first).to_have_class(LIKED, timeout=20_000)
    crowd = live.api("GET", f"/sessions/{session_id}/crowd", dj).json()
    assert crowd["likes_total"] == 2
