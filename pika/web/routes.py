"""The `/auth` form posts: sign up, sign in, sign out.

They are plain HTML form posts (not socket events) because only an HTTP response can set an
HttpOnly cookie. Every answer is a 303 redirect back to a page: on error to the form, with an
error code and the harmless fields in the query (never the password), so the page can say what
went wrong; nothing is written on any error.
"""

from __future__ import annotations

import html
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.exc import IntegrityError
from starlette.concurrency import run_in_threadpool

from pika import routes
from pika.db import session_scope
from pika.domain.limits import SIGN_IN, SIGN_UP, Limit
from pika.realtime.hub import hub
from pika.realtime.limiter import retry_after_header
from pika.services import web_accounts
from pika.services.web_sessions import end_web_session
from pika.web.cookies import CSRF_COOKIE, SESSION_COOKIE, clear_session_cookie, sign_in_redirect
from pika.web.csrf import CSRF_FIELD, csrf_matches

router = APIRouter(prefix=routes.AUTH_PREFIX, include_in_schema=False)
_FIELD_MAX = 1000  # longer than any valid value; keeps a pasted novel out of the redirect URL


def limiter_for(request: Request):
    """The app's limiter: a test may give each app its own (two "workers"); otherwise the worker's
    room store's, which is Redis-backed when REDIS_URL is set, so every worker counts together."""
    return getattr(request.app.state, "limiter", None) or hub.store.limiter


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def refused(request: Request, limit: Limit) -> HTMLResponse | None:
    verdict = await limiter_for(request).hit(limit, client_ip(request))
    if verdict.allowed:
        return None
    wait = retry_after_header(verdict)
    minutes = max(1, round(int(wait) / 60))
    body = (
        "<!doctype html><html lang=en><meta charset=utf-8><meta name=viewport content='width=device-width'>"
        "<title>Pika! · Too many attempts</title>"
        "<body style='background:#111110;color:#eeeeec;font:18px system-ui,sans-serif;padding:2rem;max-width:34rem;"
        "margin:auto'><h1 style='color:#ffc53d'>Too many attempts</h1>"
        f"<p>For your account's safety, only {limit.count} tries are allowed every {limit.per_seconds // 60} "
        f"minutes from one network. Please try again in about {minutes} minute{'s' if minutes != 1 else ''}.</p>"
        f"<p><a style='color:#ffc53d' href='{html.escape(request.headers.get('referer') or routes.DJ_SIGN_IN)}'>"
        "Back</a></p></body></html>"
    )
    return HTMLResponse(body, status_code=429, headers={"Retry-After": wait})


async def read_form(request: Request) -> dict[str, str]:
    form = await request.form(max_files=0, max_fields=20)
    return {key: value[:_FIELD_MAX] for key, value in form.items() if isinstance(value, str)}


def csrf_ok(request: Request, form: dict[str, str]) -> bool:
    return csrf_matches(request.cookies.get(CSRF_COOKIE), form.get(CSRF_FIELD))


def back_to(page: str, error: str, **keep: str) -> RedirectResponse:
    query = urlencode({"error": error, **{k: v for k, v in keep.items() if v}})
    return RedirectResponse(f"{page}?{query}", status_code=303)


@router.post("/sign-in")
async def sign_in(request: Request):
    if limited := await refused(request, SIGN_IN):
        return limited
    form = await read_form(request)
    email = form.get("email", "").strip()
    if not csrf_ok(request, form):
        return back_to(routes.DJ_SIGN_IN, "expired", email=email)

    def work():
        with session_scope() as db:
            dj = web_accounts.authenticate(db, email=email, password=form.get("password", ""))
            return sign_in_redirect(db, dj, request, routes.DJ_HOME) if dj else None

    return await run_in_threadpool(work) or back_to(routes.DJ_SIGN_IN, "wrong", email=email)


@router.post("/sign-up")
async def sign_up(request: Request):
    if limited := await refused(request, SIGN_UP):
        return limited
    form = await read_form(request)
    keep = {"email": form.get("email", "").strip(), "name": form.get("name", "").strip(),
            "slug": form.get("slug", "").strip()}
    if not csrf_ok(request, form):
        return back_to(routes.DJ_SIGN_UP, "expired", **keep)

    def work():
        with session_scope() as db:
            dj = web_accounts.sign_up(db, email=keep["email"], display_name=keep["name"], slug=keep["slug"],
                                      password=form.get("password", ""))
            return sign_in_redirect(db, dj, request, routes.DJ_HOME)

    try:
        return await run_in_threadpool(work)
    except web_accounts.SignUpProblem as problem:
        return back_to(routes.DJ_SIGN_UP, problem.code, **keep)
    except IntegrityError:
        # Someone took the same e-mail or slug between our check and our insert.
        return back_to(routes.DJ_SIGN_UP, "taken", **keep)


@router.post("/sign-out")
async def sign_out(request: Request):
    form = await read_form(request)
    if not csrf_ok(request, form):
        # Not signed out: a page elsewhere must not be able to sign the DJ out either.
        return back_to(routes.DJ_HOME, "expired")

    def work():
        with session_scope() as db:
            end_web_session(db, request.cookies.get(SESSION_COOKIE))

    await run_in_threadpool(work)
    response = RedirectResponse(f"{routes.DJ_SIGN_IN}?notice=signed_out", status_code=303)
    clear_session_cookie(response)
    return response
