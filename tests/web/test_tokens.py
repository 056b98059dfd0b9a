"""The tokens page's actions, driven through its state as the page's socket events would be."""

from __future__ import annotations

import uuid

import httpx
import pytest
import reflex as rx
from reflex.istate.data import RouterData
from sqlmodel import select

from pika.api.app import create_api
from pika.db import session_scope
from pika.models import ApiToken
from pika.pages.dj_tokens import TokensState
from pika.realtime.hub import hub
from pika.services import accounts
from pika.services.web_sessions import end_web_session, start_web_session
from pika.web.messages import FORM_EXPIRED
from tests.web.conftest import CSRF


@pytest.fixture(autouse=True)
def worker_store(store):
    """Regeneration is limited through the worker's shared limiter (hub.store): each test gets its
    own, never a store left bound to an earlier test's event loop."""
    previous = hub.store
    hub.store = store
    yield store
    hub.store = previous


def signed_in(engine, slug: str) -> str:
    """A DJ with a web session; returns the browser's Cookie header."""
    with session_scope(engine) as db:
        dj = accounts.create_dj(db, email=f"{slug}@example.com", display_name_=slug.title(), slug=slug)
        return f"pika_csrf={CSRF}; pika_session={start_web_session(db, dj)}"


def page(cookie: str, sid: str = "sid-1", ip: str | None = None) -> TokensState:
    """The tokens page's state as one socket (page view) sees it: its handshake's cookies, its IP."""
    root = rx.State(_reflex_internal_init=True)
    root.router = RouterData.from_router_data({
        "pathname": "/dj/tokens", "asPath": "/dj/tokens", "query": {}, "sid": sid, "token": "client-token",
        "headers": {"cookie": cookie}, "ip": ip or f"10.{uuid.uuid4().int % 250}.0.{uuid.uuid4().int % 250}",
    })
    return root.get_substate(TokensState.get_full_name().split(".")[1:])


async def agent_status(raw: str) -> int:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=create_api()), base_url="http://pika.test") as c:
        return (await c.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})).status_code


def tokens_in_db(engine) -> list[ApiToken]:
    with session_scope(engine) as db:
        return list(db.exec(select(ApiToken).order_by(ApiToken.id)))


async def test_a_new_token_is_shown_once_works_for_the_agent_and_only_its_hash_is_stored(engine):
    state = page(signed_in(engine, "nova"))
    await TokensState.load.fn(state)
    await TokensState.create.fn(state, {"csrf": CSRF, "label": "MacBook"})
    raw = state.shown_token
    assert raw.startswith("pk_dj_") and state.error == ""
    assert [t.label for t in state.tokens] == ["MacBook"]
    (stored,) = tokens_in_db(engine)
    assert raw not in stored.token_hash and stored.label == "MacBook"
    assert await agent_status(raw) == 200
    # The same browser tab reloads: a new socket, so the token is not shown, and loading forgets it.
    reloaded = page(state.router.headers.cookie, sid="sid-2")
    reloaded._new_token, reloaded._new_token_socket = state._new_token, state._new_token_socket
    assert reloaded.shown_token == ""
    await TokensState.load.fn(reloaded)
    assert reloaded._new_token == ""
    TokensState.dismiss.fn(state)
    assert state.shown_token == "" and state._new_token == ""


async def test_regenerating_revokes_the_old_token_and_shows_a_new_one_with_the_same_label(engine):
    state = page(signed_in(engine, "nova"))
    await TokensState.create.fn(state, {"csrf": CSRF, "label": "laptop"})
    old_raw, old_id = state.shown_token, state.tokens[0].id
    await TokensState.regenerate.fn(state, {"csrf": CSRF, "token_id": str(old_id)})
    new_raw = state.shown_token
    assert new_raw.startswith("pk_dj_") and new_raw != old_raw
    assert await agent_status(old_raw) == 401
    assert await agent_status(new_raw) == 200
    old, new = tokens_in_db(engine)
    assert old.revoked_at is not None and new.revoked_at is None and new.label == "laptop"


async def test_a_revoked_token_gets_401_from_the_agent_api(engine):
    state = page(signed_in(engine, "nova"))
    await TokensState.create.fn(state, {"csrf": CSRF, "label": "laptop"})
    raw = state.shown_token
    await TokensState.revoke.fn(state, {"csrf": CSRF, "token_id": str(state.tokens[0].id)})
    assert state.error == "" and state.tokens[0].revoked_at != ""
    assert await agent_status(raw) == 401


async def test_a_dj_cannot_revoke_or_regenerate_another_djs_token(engine):
    a = page(signed_in(engine, "nova"))
    await TokensState.create.fn(a, {"csrf": CSRF, "label": "nova's laptop"})
    raw_a, id_a = a.shown_token, a.tokens[0].id
    b = page(signed_in(engine, "lowtide"))
    await TokensState.revoke.fn(b, {"csrf": CSRF, "token_id": str(id_a)})
    assert b.error == "No such token for this DJ."
    await TokensState.regenerate.fn(b, {"csrf": CSRF, "token_id": str(id_a)})
    assert b.error == "No such token for this DJ." and b.shown_token == ""
    assert await agent_status(raw_a) == 200
    assert len(tokens_in_db(engine)) == 1


@pytest.mark.parametrize("csrf", ["", "forged-value"])
async def test_token_actions_without_the_matching_csrf_field_change_nothing(engine, csrf):
    state = page(signed_in(engine, "nova"))
    await TokensState.create.fn(state, {"csrf": CSRF, "label": "laptop"})
    raw = state.shown_token
    await TokensState.create.fn(state, {"csrf": csrf, "label": "sneaky"})
    assert state.error == FORM_EXPIRED and state.shown_token == ""
    await TokensState.revoke.fn(state, {"csrf": csrf, "token_id": str(state.tokens[0].id)})
    await TokensState.regenerate.fn(state, {"csrf": csrf, "token_id": str(state.tokens[0].id)})
    assert state.error == FORM_EXPIRED
    assert [(t.label, t.revoked_at) for t in tokens_in_db(engine)] == [("laptop", None)]
    assert await agent_status(raw) == 200


async def test_a_signed_out_cookie_is_sent_to_sign_in_and_changes_nothing(engine):
    cookie = signed_in(engine, "nova")
    with session_scope(engine) as db:
        end_web_session(db, cookie.split("pika_session=")[1])
    state = page(cookie)
    assert (await TokensState.load.fn(state)) is not None  # a redirect
    assert await TokensState.create.fn(state, {"csrf": CSRF, "label": "x"}) is not None
    assert state.shown_token == "" and tokens_in_db(engine) == []


async def test_regenerating_is_limited_to_five_per_fifteen_minutes_per_ip(engine):
    state = page(signed_in(engine, "nova"))
    await TokensState.create.fn(state, {"csrf": CSRF, "label": "laptop"})
    for _ in range(5):
        await TokensState.regenerate.fn(state, {"csrf": CSRF, "token_id": str(state.tokens[0].id)})
        assert state.error == "" and state.shown_token
    before = tokens_in_db(engine)
    await TokensState.regenerate.fn(state, {"csrf": CSRF, "token_id": str(state.tokens[0].id)})
    assert "Too many new tokens" in state.error and state.shown_token == ""
    assert len(tokens_in_db(engine)) == len(before)
