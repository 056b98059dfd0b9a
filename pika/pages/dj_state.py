"""Who is signed in, for the DJ pages' states — re-checked against the database on every event.

The session cookie is HttpOnly: page scripts never see it, so it never travels in an event.
Reflex keeps the headers of each socket's handshake on the server (router.headers.cookie; it is
never serialised to the browser), and the browser sends its cookies with that handshake. Every
sign-in and sign-out is a full-page HTTP round trip, so the socket that follows carries the
current cookie; a cookie whose session was ended or expired is refused by the lookup below.
"""

from __future__ import annotations

import reflex as rx
from starlette.concurrency import run_in_threadpool

from pika.db import session_scope
from pika.models import DJ
from pika.services.web_sessions import dj_for_web_session
from pika.settings import get_settings
from pika.web.cookies import CSRF_COOKIE, CSRF_MAX_AGE, SESSION_COOKIE
from pika.web.csrf import CSRF_FIELD, cookie_from_header, csrf_matches, new_csrf_token


def _lookup(raw: str | None) -> DJ | None:
    with session_scope() as db:
        return dj_for_web_session(db, raw)


async def signed_in_dj(state: rx.State) -> DJ | None:
    raw = cookie_from_header(state.router.headers.cookie, SESSION_COOKIE)
    return await run_in_threadpool(_lookup, raw) if raw else None


def csrf_ok(state: rx.State, form_data: dict) -> bool:
    """Double-submit check for a socket event: the form's hidden field against the CSRF cookie the
    browser sent with the handshake (not against any value the page itself reports)."""
    return csrf_matches(cookie_from_header(state.router.headers.cookie, CSRF_COOKIE), str(form_data.get(CSRF_FIELD, "")))


class CsrfState(rx.State):
    """The CSRF cookie, which the forms copy into a hidden field. Not HttpOnly on purpose."""

    token: str = rx.Cookie("", name=CSRF_COOKIE, path="/", max_age=CSRF_MAX_AGE, same_site="lax",
                           secure=get_settings().secure_cookies or None)

    @rx.event
    def ensure(self):
        if not self.token:
            self.token = new_csrf_token()
