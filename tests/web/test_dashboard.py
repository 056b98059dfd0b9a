"""The dashboard lists the signed-in DJ's sets (and only theirs), newest first, with their telemetry."""

from __future__ import annotations

import reflex as rx
from reflex.istate.data import RouterData

from pika.db import session_scope
from pika.models import SessionEventKind
from pika.pages.dj_dashboard import DashboardState
from pika.services import accounts, sessions
from pika.services.web_sessions import start_web_session


def dashboard(cookie: str) -> DashboardState:
    root = rx.State(_reflex_internal_init=True)
    root.router = RouterData.from_router_data({"pathname": "/dj", "asPath": "/dj", "query": {}, "sid": "sid-1",
                                               "token": "client-token", "headers": {"cookie": cookie}})
    return root.get_substate(DashboardState.get_full_name().split(".")[1:])


async def test_sets_newest_first_with_status_and_agent_timeline(engine):
    with session_scope(engine) as db:
        nova = accounts.create_dj(db, email="nova@example.com", display_name_="Nova", slug="nova")
        other = accounts.create_dj(db, email="low@example.com", display_name_="Low", slug="lowtide")
        first = sessions.open_session(db, nova, title="Friday social")
        sessions.record_event(db, first.id, SessionEventKind.DISCONNECTED, "no heartbeat for 120 s")
        sessions.record_event(db, first.id, SessionEventKind.RECONNECTED)
        sessions.end_session(db, first, reason="ended by the DJ")
        sessions.open_session(db, other, title="Not mine")
        cookie = f"pika_session={start_web_session(db, nova)}"
    with session_scope(engine) as db:
        second = sessions.open_session(db, accounts.find_dj(db, "nova"), title="Saturday late")
    state = dashboard(cookie)
    assert await DashboardState.load.fn(state) is None  # no redirect: signed in
    assert state.dj_name == "Nova"
    assert [s.title for s in state.sets] == ["Saturday late", "Friday social"]
    saturday, friday = state.sets
    assert (saturday.id, saturday.status, saturday.ended_at) == (second.id, "live", "")
    assert friday.status == "ended" and friday.ended_at
    assert [row.kind for row in friday.timeline] == ["opened", "disconnected", "reconnected", "ended"]


async def test_without_a_valid_session_cookie_the_dashboard_sends_to_sign_in(engine):
    state = dashboard("pika_session=made-up-value")
    assert await DashboardState.load.fn(state) is not None
    assert state.sets == [] and not state.loaded
