"""The dancer's join handler, driven directly (no browser): late joiners and the push/join race."""

from __future__ import annotations

import pytest
import reflex as rx
from reflex.istate.data import RouterData

from pika.pages.session_state import DancerRoomState
from pika.realtime.hub import hub
from pika.realtime.store import MemoryRoomStore
from tests.realtime.test_hub import App, snapshot

SESSION = "abcdefghjkmn"


@pytest.fixture
def bound_hub():
    previous = (hub.app, hub.state_name, hub.store)
    hub.bind(App(), DancerRoomState, MemoryRoomStore())
    yield hub
    hub.app, hub.state_name, hub.store = previous


def dancer_state(session_id: str, sid: str = "sid-1") -> DancerRoomState:
    root = rx.State(_reflex_internal_init=True)
    root.router = RouterData.from_router_data(
        {"pathname": "/live/[session_id]", "asPath": f"/live/{session_id}", "query": {"session_id": session_id},
         "sid": sid, "token": "client-token"}
    )
    return root.get_substate(DancerRoomState.get_full_name().split(".")[1:])


async def drive(state: DancerRoomState, between=None) -> None:
    steps = DancerRoomState.join.fn(state)
    async for _ in steps:
        if between is not None:
            await between()


async def test_a_late_joiner_gets_the_whole_current_picture(bound_hub):
    await bound_hub.store.put(SESSION, snapshot(SESSION, 4, "Current"))
    await bound_hub.store.seen(SESSION, ["someone-else"])
    state = dancer_state(SESSION)
    await drive(state)
    assert state.found and state.version == 4
    assert state.now_playing["title"] == "Current"
    assert state.listeners == 2  # the other dancer and this one
    assert state.dancer_id  # a stable id was created for this browser
    assert "sid-1" in bound_hub.app.event_namespace.rooms[f"session:{SESSION}"]


async def test_a_push_that_races_the_join_is_not_lost(bound_hub):
    await bound_hub.store.put(SESSION, snapshot(SESSION, 1, "Old"))
    state = dancer_state(SESSION)

    async def push_arrives_meanwhile():
        # The join's delta (version 1) is on its way; a newer play is published now.
        await bound_hub.publish(snapshot(SESSION, 2, "New"))

    await drive(state, between=push_arrives_meanwhile)
    assert state.version == 2
    assert state.now_playing["title"] == "New"


async def test_an_unknown_session_shows_not_found_and_joins_no_room(bound_hub):
    state = dancer_state("zzzzzzzzzzzz")
    bound_hub.store.get = _none  # nothing in the store …
    import pika.realtime.hub as hub_module

    original = hub_module._snapshot_from_db
    hub_module._snapshot_from_db = lambda _sid: None  # … and nothing in the database
    try:
        await drive(state)
    finally:
        hub_module._snapshot_from_db = original
    assert not state.found
    assert all("sid-1" not in members for members in bound_hub.app.event_namespace.rooms.values())


async def test_a_malformed_session_id_is_not_found(bound_hub):
    state = dancer_state("../../etc")
    await drive(state)
    assert not state.found


async def _none(_session_id):
    return None
