"""Sign-up, sign-in and sign-out as a DJ's browser meets them: cookies, redirects, readable errors."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from sqlmodel import select

from pika.db import session_scope
from pika.domain.passwords import verify_password
from pika.models import DJ
from pika.services import accounts
from pika.services.web_sessions import dj_for_web_session
from pika.web.cookies import SESSION_COOKIE
from pika.web.messages import MESSAGES
from tests.web.conftest import PASSWORD, counts, form, sign_up_form


def redirected_to(response) -> tuple[str, dict[str, str]]:
    assert response.status_code == 303, response.text
    url = urlsplit(response.headers["location"])
    return url.path, {k: v[0] for k, v in parse_qs(url.query).items()}


async def test_sign_up_creates_the_dj_signs_them_in_and_hashes_the_password(browser, engine):
    r = await browser.post("/auth/sign-up", data=sign_up_form(email=" Nova@Example.com "))
    assert redirected_to(r) == ("/dj", {})
    raw = browser.cookies.get(SESSION_COOKIE)
    assert raw
    with session_scope(engine) as db:
        dj = db.exec(select(DJ)).one()
        assert (dj.email, dj.display_name, dj.slug) == ("nova@example.com", "Nova Lane", "nova")
        assert PASSWORD not in dj.password_hash and verify_password(dj.password_hash, PASSWORD)
        assert dj_for_web_session(db, raw).id == dj.id


@pytest.mark.parametrize(("fields", "code"), [
    ({"email": "not-an-email"}, "email"),
    ({"email": "two@@example.com"}, "email"),
    ({"password": "short7!"}, "password_short"),
    ({"password": "x" * 129}, "password_long"),
    ({"slug": "admin"}, "slug_reserved"),
    ({"slug": "dj"}, "slug_reserved"),
    ({"slug": "-bad-"}, "slug"),
    ({"name": "   "}, "name"),
])
async def test_bad_sign_up_says_why_keeps_the_fields_and_creates_nothing(browser, engine, fields, code):
    r = await browser.post("/auth/sign-up", data=sign_up_form(**fields))
    path, query = redirected_to(r)
    assert path == "/dj/sign-up" and query["error"] == code and MESSAGES[code]
    assert "password" not in query
    if "email" not in fields:
        assert query["email"] == "nova@example.com"
    assert counts(engine) == (0, 0)
    assert SESSION_COOKIE not in browser.cookies


async def test_taken_slug_and_taken_email_are_refused(browser, engine):
    with session_scope(engine) as db:
        accounts.create_dj(db, email="first@example.com", display_name_="First", slug="nova")
    r = await browser.post("/auth/sign-up", data=sign_up_form())
    assert redirected_to(r)[1]["error"] == "slug_taken"
    r = await browser.post("/auth/sign-up", data=sign_up_form(email="FIRST@example.com", slug="other"))
    assert redirected_to(r)[1]["error"] == "email_taken"
    assert counts(engine) == (1, 0)


@pytest.mark.parametrize("csrf", [None, "", "a-different-value"])
async def test_sign_up_without_the_matching_csrf_field_does_nothing(browser, engine, csrf):
    data = sign_up_form()
    if csrf is None:
        del data["csrf"]
    else:
        data["csrf"] = csrf
    path, query = redirected_to(await browser.post("/auth/sign-up", data=data))
    assert (path, query["error"]) == ("/dj/sign-up", "expired")
    assert MESSAGES["expired"] == "Your form expired, please try again."
    assert counts(engine) == (0, 0)


async def test_sign_up_without_the_csrf_cookie_does_nothing(browser, engine):
    browser.cookies.clear()
    _, query = redirected_to(await browser.post("/auth/sign-up", data=sign_up_form()))
    assert query["error"] == "expired"
    assert counts(engine) == (0, 0)


async def test_sign_in_with_the_right_password(browser, engine):
    await browser.post("/auth/sign-up", data=sign_up_form())
    browser.cookies.delete(SESSION_COOKIE)
    r = await browser.post("/auth/sign-in", data=form(email="NOVA@example.com", password=PASSWORD))
    assert redirected_to(r) == ("/dj", {})
    assert browser.cookies.get(SESSION_COOKIE)
    assert counts(engine) == (1, 2)


@pytest.mark.parametrize(("email", "password"), [
    ("nova@example.com", "wrong password"),
    ("nobody@example.com", PASSWORD),
    ("cli@example.com", PASSWORD),  # made by the CLI: no password hash, no password sign-in
    ("nova@example.com", ""),
])
async def test_failed_sign_in_gives_the_same_message_whatever_the_reason(browser, engine, email, password):
    await browser.post("/auth/sign-up", data=sign_up_form())
    with session_scope(engine) as db:
        accounts.create_dj(db, email="cli@example.com", display_name_="From the CLI", slug="cli-dj")
    browser.cookies.delete(SESSION_COOKIE)
    path, query = redirected_to(await browser.post("/auth/sign-in", data=form(email=email, password=password)))
    assert (path, query) == ("/dj/sign-in", {"error": "wrong", "email": email})
    assert MESSAGES["wrong"] == "Email or password is wrong"
    assert SESSION_COOKIE not in browser.cookies
    assert counts(engine) == (2, 1)  # only the sign-up's session


async def test_sign_in_with_a_mismatched_csrf_field_does_not_sign_in(browser, engine):
    await browser.post("/auth/sign-up", data=sign_up_form())
    browser.cookies.delete(SESSION_COOKIE)
    data = form(email="nova@example.com", password=PASSWORD) | {"csrf": "forged"}
    _, query = redirected_to(await browser.post("/auth/sign-in", data=data))
    assert query["error"] == "expired"
    assert SESSION_COOKIE not in browser.cookies
    assert counts(engine) == (1, 1)


async def test_sign_out_ends_the_session_so_the_old_cookie_is_refused(browser, engine):
    await browser.post("/auth/sign-up", data=sign_up_form())
    raw = browser.cookies.get(SESSION_COOKIE)
    r = await browser.post("/auth/sign-out", data=form())
    assert redirected_to(r) == ("/dj/sign-in", {"notice": "signed_out"})
    assert 'pika_session=""' in r.headers["set-cookie"] or "Max-Age=0" in r.headers["set-cookie"]
    with session_scope(engine) as db:
        assert dj_for_web_session(db, raw) is None
    assert counts(engine) == (1, 0)


async def test_sign_out_from_another_site_without_csrf_does_nothing(browser, engine):
    await browser.post("/auth/sign-up", data=sign_up_form())
    raw = browser.cookies.get(SESSION_COOKIE)
    _, query = redirected_to(await browser.post("/auth/sign-out", data={}))
    assert query["error"] == "expired"
    with session_scope(engine) as db:
        assert dj_for_web_session(db, raw) is not None
