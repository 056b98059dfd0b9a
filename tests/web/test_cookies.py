"""The session cookie's flags, read from the Set-Cookie header a browser receives."""

from __future__ import annotations

import httpx
import pytest

from pika.settings import get_settings
from tests.web.conftest import CSRF, api_with, sign_up_form


def cookie_attributes(set_cookie: str) -> tuple[str, set[str]]:
    first, *attributes = [part.strip() for part in set_cookie.split(";")]
    return first, {a.lower() for a in attributes}


async def sign_up_headers(limiter, base_url: str) -> list[str]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=api_with(limiter)), base_url=base_url) as client:
        client.cookies.set("pika_csrf", CSRF)
        r = await client.post("/auth/sign-up", data=sign_up_form())
        assert r.status_code == 303
        return r.headers.get_list("set-cookie")


async def test_session_cookie_is_httponly_lax_and_not_secure_on_plain_http(engine, limiter):
    (session,) = [c for c in await sign_up_headers(limiter, "http://pika.test") if c.startswith("pika_session=")]
    value, attributes = cookie_attributes(session)
    assert len(value) > len("pika_session=") + 40  # 256 random bits
    assert {"httponly", "samesite=lax", "path=/"} <= attributes
    assert "secure" not in attributes
    assert f"max-age={30 * 24 * 3600}" in attributes


async def test_session_cookie_is_secure_when_the_public_url_is_https(engine, limiter, monkeypatch):
    monkeypatch.setenv("PUBLIC_URL", "https://pika.example.org")
    get_settings.cache_clear()
    try:
        (session,) = [c for c in await sign_up_headers(limiter, "https://pika.example.org")
                      if c.startswith("pika_session=")]
    finally:
        get_settings.cache_clear()
    assert {"httponly", "samesite=lax", "secure"} <= cookie_attributes(session)[1]


@pytest.mark.parametrize("path", ["/auth/sign-in", "/auth/sign-up", "/auth/sign-out"])
async def test_the_auth_paths_only_take_posts(browser, path):
    assert (await browser.get(path)).status_code == 405
