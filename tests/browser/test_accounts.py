"""A DJ's web account in a real browser at phone size: sign up, dashboard, tokens, sign out, sign in."""

from __future__ import annotations

import re
import uuid

import httpx
from playwright.sync_api import expect

from tests.browser.conftest import LiveApp, shot

TIMEOUT_MS = 15_000
PASSWORD = "correct horse battery"


def wait_for_csrf(page) -> None:
    # The hidden field is filled from the CSRF cookie once the page's state has arrived.
    page.wait_for_function("[...document.querySelectorAll('input[name=csrf]')].every(i => i.value.length > 20)",
                           timeout=TIMEOUT_MS)


def sign_in(page, url: str, email: str, password: str) -> None:
    page.goto(f"{url}/dj/sign-in")
    expect(page.locator("#email-input")).to_be_visible(timeout=TIMEOUT_MS)
    wait_for_csrf(page)
    page.locator("#email-input").fill(email)
    page.locator("#password-input").fill(password)
    page.locator("#sign-in-submit").click()


def test_sign_up_tokens_shown_once_sign_out_and_sign_in(browser, live: LiveApp):
    slug = f"dj-{uuid.uuid4().hex[:6]}"
    email = f"{slug}@example.com"
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2,
                                  permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()

    # The /auth posts reach the API app in the production server, not the static frontend.
    r = httpx.post(f"{live.url}/auth/sign-in", data={"email": "x@example.com", "password": "whatever1"})
    assert r.status_code == 303 and r.headers["location"].startswith("/dj/sign-in?error=expired")

    # Sign up.
    page.goto(f"{live.url}/dj/sign-up")
    expect(page.locator("#slug-input")).to_be_visible(timeout=TIMEOUT_MS)
    wait_for_csrf(page)
    page.locator("#email-input").fill(email)
    page.locator("#name-input").fill("Nova Lane")
    page.locator("#slug-input").fill(slug)
    page.locator("#password-input").fill(PASSWORD)
    shot(page, f"accounts-sign-up-{live.name}")
    page.locator("#sign-up-submit").click()
    expect(page.locator("#dj-greeting")).to_have_text("Hi, Nova Lane", timeout=TIMEOUT_MS)
    assert page.url.rstrip("/").endswith("/dj")
    expect(page.locator("#no-sets")).to_be_visible()
    cookies = {c["name"]: c for c in context.cookies()}
    assert cookies["pika_session"]["httpOnly"] and cookies["pika_session"]["sameSite"] == "Lax"
    assert not cookies["pika_csrf"]["httpOnly"]
    assert "pika_session" not in page.evaluate("document.cookie")
    shot(page, f"accounts-dashboard-{live.name}")

    # Tokens: create one, copy it; it is shown once.
    page.locator("#to-tokens").click()
    expect(page.locator("#create-token")).to_be_visible(timeout=TIMEOUT_MS)
    wait_for_csrf(page)
    page.locator("#label-input").fill("MacBook")
    page.locator("#create-token").click()
    token = page.locator("#new-token")
    expect(token).to_contain_text("pk_dj_", timeout=TIMEOUT_MS)
    raw = token.inner_text().strip()
    expect(page.locator("#new-token-card")).to_contain_text("will not be shown again")
    page.locator("#copy-token").click()
    assert page.evaluate("navigator.clipboard.readText()") == raw
    shot(page, f"accounts-token-shown-{live.name}")
    me = httpx.get(f"{live.url}/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert me.status_code == 200 and me.json()["slug"] == slug

    page.reload()
    expect(page.locator(".token-row")).to_have_count(1, timeout=TIMEOUT_MS)
    expect(page.locator(".token-row")).to_contain_text("MacBook")
    expect(page.locator("#new-token")).to_have_count(0)
    assert raw not in page.content()
    shot(page, f"accounts-tokens-after-reload-{live.name}")

    # Revoke asks first (it signs the agent out mid-set); Cancel changes nothing.
    wait_for_csrf(page)
    page.locator(".token-row .revoke").click()
    expect(page.locator(".token-row .confirm-question")).to_contain_text("signed out at once", timeout=TIMEOUT_MS)
    shot(page, f"accounts-token-revoke-asks-{live.name}")
    page.locator(".token-row .cancel").click()
    expect(page.locator(".token-row .confirm-question")).to_have_count(0, timeout=TIMEOUT_MS)
    expect(page.locator(".token-row")).to_contain_text("active")
    assert httpx.get(f"{live.url}/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 200

    # Regenerate, once confirmed: a new token shown once, the old one dead.
    page.locator(".token-row .regenerate").click()
    expect(page.locator(".token-row .confirm-question")).to_contain_text("old one stops working", timeout=TIMEOUT_MS)
    page.locator(".token-row .confirm-regenerate").click()
    expect(page.locator("#new-token")).to_contain_text("pk_dj_", timeout=TIMEOUT_MS)
    fresh = page.locator("#new-token").inner_text().strip()
    assert fresh != raw
    expect(page.locator(".token-row .confirm-question")).to_have_count(0)
    assert httpx.get(f"{live.url}/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 401
    assert httpx.get(f"{live.url}/api/v1/me", headers={"Authorization": f"Bearer {fresh}"}).status_code == 200
    page.locator("#dismiss-token").click()
    expect(page.locator("#new-token")).to_have_count(0, timeout=TIMEOUT_MS)
    expect(page.locator(".token-row")).to_have_count(2)  # the old one stays listed, revoked
    active = page.locator(".token-row").filter(has_text="active")
    expect(active).to_have_count(1)

    # Revoke the new one, once confirmed: the agent is out.
    active.locator(".revoke").click()
    active.locator(".confirm-revoke").click()
    expect(active).to_have_count(0, timeout=TIMEOUT_MS)
    expect(page.locator(".token-row").filter(has_text="revoked")).to_have_count(2)
    assert httpx.get(f"{live.url}/api/v1/me", headers={"Authorization": f"Bearer {fresh}"}).status_code == 401

    # Sign out: the dashboard sends us to sign-in.
    page.locator("#sign-out").click()
    page.wait_for_url(re.compile(r"/dj/sign-in/?\?notice=signed_out$"), timeout=TIMEOUT_MS)
    # The same browser's cookies in a fresh context. TEMPORARY, until pika/web_security.py is fixed:
    # revisiting /dj in the same context is revalidated with a 304 whose Content-Security-Policy
    # lacks the page's inline-script hashes, so Chromium blocks them and the page never starts
    # (reported to the lead; not a property of accounts).
    cookies_after = context.cookies()
    assert "pika_session" not in {c["name"] for c in cookies_after}
    context.close()
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    context.add_cookies(cookies_after)
    page = context.new_page()
    page.goto(f"{live.url}/dj")
    page.wait_for_url(re.compile(r"/dj/sign-in/?$"), timeout=TIMEOUT_MS)

    # A wrong password: the generic message, the e-mail kept.
    sign_in(page, live.url, email, "not my password")
    expect(page.locator("#form-error")).to_contain_text("Email or password is wrong", timeout=TIMEOUT_MS)
    expect(page.locator("#email-input")).to_have_value(email)
    shot(page, f"accounts-wrong-password-{live.name}")

    # The right password (a fresh context again, for the CSP reason above: /dj was visited here).
    context.close()
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    page = context.new_page()
    sign_in(page, live.url, email, PASSWORD)
    expect(page.locator("#dj-greeting")).to_have_text("Hi, Nova Lane", timeout=TIMEOUT_MS)
    context.close()
