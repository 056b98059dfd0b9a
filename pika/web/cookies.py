"""The cookies of a signed-in browser, set and cleared by the `/auth` responses."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import RedirectResponse
from sqlmodel import Session
from starlette.responses import Response

from pika.models import DJ
from pika.services.web_sessions import SESSION_LIFETIME, start_web_session
from pika.settings import get_settings
from pika.web.csrf import new_csrf_token

SESSION_COOKIE = "pika_session"
CSRF_COOKIE = "pika_csrf"
CSRF_MAX_AGE = 365 * 24 * 3600


def set_session_cookie(response: Response, raw: str) -> None:
    # HttpOnly: page scripts (and anything injected into them) never see it. Lax: sent when the DJ
    # follows a link to us, never on another site's form post or background request.
    response.set_cookie(SESSION_COOKIE, raw, max_age=int(SESSION_LIFETIME.total_seconds()), path="/",
                        httponly=True, samesite="lax", secure=get_settings().secure_cookies)


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax",
                           secure=get_settings().secure_cookies)


def ensure_csrf_cookie(request: Request, response: Response) -> None:
    """Give the browser a CSRF cookie if it has none (e.g. after an OIDC round trip), so every
    signed-in page's socket handshake carries one. Not HttpOnly: the page puts it in its forms."""
    if not request.cookies.get(CSRF_COOKIE):
        response.set_cookie(CSRF_COOKIE, new_csrf_token(), max_age=CSRF_MAX_AGE, path="/", httponly=False,
                            samesite="lax", secure=get_settings().secure_cookies)


def sign_in_redirect(db: Session, dj: DJ, request: Request, to: str = "/dj") -> RedirectResponse:
    """Start a web session for the DJ and send the browser to `to` (303) with its cookie.

    The session row is written in `db`: the caller's unit of work must commit for it to count.
    """
    raw = start_web_session(db, dj, user_agent=request.headers.get("user-agent", ""))
    response = RedirectResponse(to, status_code=303)
    set_session_cookie(response, raw)
    ensure_csrf_cookie(request, response)
    return response
