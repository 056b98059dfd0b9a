"""The dancer's join handler, driven directly (no browser): late joiners and the push/join race."""

from __future__ import annotations

import uuid

import pytest
import reflex as rx
from reflex.istate.data import RouterData

from pika.db import session_scope
from pika.db_types import utcnow
from pika.pages.session_state import DancerRoomState
from pika.realtime.hub import ROOM_FIELDS
from pika.services import accounts, plays, sessions
from pika.services.rooms import room_snapshot


@pytest.fixture
def session_id(engine) -> str:
    with session_scope(engine) as db:
        dj = accounts.create_dj(db, email="nova@example.com", display_name_="Nova", slug="nova")
        return sessions.open_session(db, dj, title="Friday").id


def add_play(engine, session_id: str, title: str) -> dict:
    with session_scope(engine) as db:
        session = sessions.get_session(db, session_id)
        plays.record_plays(db, session, [plays.PlayIn(play_id=str(uuid.uuid4()), artist="Nova Lane", title=title,
                                                      played_at=utcnow())])
        return room_snapshot(db, session)


def dancer_state(session_id: str, sid: str = "sid-1") -> DancerRoomState:
    root = rx.State(_reflex_internal_init=True)
    root.router = RouterData.from_router_data(
        {"pathname": "/live/[session_id]", "asPath": f"/live/{session_id}", "query": {"session_id": session_id},
         "sid": sid, "token": "client-token"}
    )
    return root.get_substate(DancerRoomState.get_full_name().split(".")[1:])


async def drive(state: DancerRoomState, between=None) -> None:
    async for _ in DancerRoomState.join.fn(state):
        if between is not None:
            await between()


async def test_a_late_joiner_gets_the_whole_current_picture(bound_hub, engine, session_id):
    await bound_hub.publish(add_play(engine, session_id, "Current"))
    await bound_hub.store.seen(session_id, ["someone-else"])
    state = dancer_state(session_id)
    await drive(state)
    assert state.found and state.version >= 1
    assert state.now_playing["title"] == "Current"
    assert state.listeners == 2  # the other dancer and this one
    assert state.dancer_id  # a stable id was created for this browser
    assert "sid-1" in bound_hub.app.event_namespace.rooms[f"session:{session_id}"]


async def test_the_canonical_copy_is_rebuilt_from_the_database_when_missing(bound_hub, engine, session_id):
    add_play(engine, session_id, "After a restart")  # in the database, never published
    state = dancer_state(session_id)
    await drive(state)
    assert state.now_playing["title"] == "After a restart"


async def test_a_push_that_races_the_join_is_not_lost(bound_hub, engine, session_id):
    await bound_hub.publish(add_play(engine, session_id, "Old"))
    state = dancer_state(session_id)

    async def push_arrives_meanwhile():
        # The join's delta is on its way; a newer play is published now.
        await bound_hub.publish(add_play(engine, session_id, "New"))

    await drive(state, between=push_arrives_meanwhile)
    assert state.now_playing["title"] == "New"


async def test_a_counts_push_that_races_the_join_is_not_lost(bound_hub, engine, session_id):
    """Pushes carry only what changed, so the join itself must repair a count it overwrote."""
    snapshot = add_play(engine, session_id, "Loved")
    await bound_hub.publish(snapshot)
    play_id = snapshot["now_playing"]["play_id"]
    state = dancer_state(session_id)

    async def likes_arrive_meanwhile():
        await bound_hub.publish_counts(session_id, {**snapshot, "likes_now": {play_id: 12}})

    await drive(state, between=likes_arrive_meanwhile)
    assert state.likes_now == {play_id: 12}


async def test_a_copy_left_by_an_older_release_is_rebuilt_not_used(bound_hub, engine, session_id):
    """After an upgrade Redis may still hold a copy with the old fields (one `history` list)."""
    snapshot = add_play(engine, session_id, "Upgraded")
    old = {name: value for name, value in snapshot.items() if not name.startswith(("history", "likes"))}
    await bound_hub.store.replace(session_id, {**old, "history": [], "likes": {}})
    state = dancer_state(session_id)
    await drive(state)
    assert state.found and state.now_playing["title"] == "Upgraded"
    assert "history_recent" in await bound_hub.store.get(session_id)


async def test_the_server_keeps_no_copy_of_the_room_once_the_phone_has_it(bound_hub, engine, session_id):
    for title in ("One", "Two", "Three"):
        await bound_hub.publish(add_play(engine, session_id, title))
    state = dancer_state(session_id)
    delta = {}

    async def delta_goes_out():  # what Reflex does at the join's yield: send the dirty fields, clean
        delta.update({name: getattr(state, name) for name in state.dirty_vars})
        state._clean()

    await drive(state, between=delta_goes_out)
    assert delta["now_playing"]["title"] == "Three"
    assert [row["full_title"] for row in delta["history_recent"]] == ["Two", "One"]
    assert not set(ROOM_FIELDS) & set(vars(state))  # nothing of the room kept on the server
    assert state.found and state.dancer_id  # the dancer's own fields stay


async def test_a_room_field_set_after_the_delta_went_out_is_kept_until_sent(bound_hub, engine, session_id):
    await bound_hub.publish(add_play(engine, session_id, "Old"))
    state = dancer_state(session_id)

    async def push_arrives_meanwhile():
        state._clean()
        await bound_hub.publish(add_play(engine, session_id, "New"))

    await drive(state, between=push_arrives_meanwhile)
    assert "now_playing" in state.dirty_vars
    assert state.now_playing["title"] == "New"


async def test_an_unknown_session_shows_not_found_and_joins_no_room(bound_hub, engine):
    state = dancer_state("zzzzzzzzzzzz")
    await drive(state)
    assert not state.found
    assert all("sid-1" not in members for members in bound_hub.app.event_namespace.rooms.values())


async def test_a_malformed_session_id_is_not_found(bound_hub):
    state = dancer_state("../../etc")
    await drive(state)
    assert not state.found


@pytest.fixture
def pin_session_id(engine) -> str:
    with session_scope(engine) as db:
        dj = accounts.create_dj(db, email="vega@example.com", display_name_="Vega", slug="vega")
        return sessions.open_session(db, dj, title="Private", pin="4321").id


async def test_a_pin_session_stays_locked_even_when_its_copy_is_cached(bound_hub, engine, pin_session_id):
    await bound_hub.publish(add_play(engine, pin_session_id, "Secret"))  # the copy is in the store
    state = dancer_state(pin_session_id)
    await drive(state)
    assert state.locked
    assert state.now_playing["title"] == ""  # nothing of the room reached the phone
    assert all("sid-1" not in members for members in bound_hub.app.event_namespace.rooms.values())


async def test_a_copy_cached_before_the_pin_flag_existed_still_checks_the_pin(bound_hub, engine, pin_session_id):
    snapshot = add_play(engine, pin_session_id, "Secret")
    del snapshot["pin"]  # written by an older version of the app
    await bound_hub.publish(snapshot)
    state = dancer_state(pin_session_id)
    await drive(state)
    assert state.locked


async def test_a_session_without_pin_is_entered_from_the_cached_copy(bound_hub, engine, session_id, monkeypatch):
    await bound_hub.publish(add_play(engine, session_id, "Open floor"))
    from pika.realtime import floor

    async def no_database(*_args):
        raise AssertionError("a join to a session without PIN must not ask the database who may enter")

    monkeypatch.setattr(floor, "may_enter", no_database)
    state = dancer_state(session_id)
    await drive(state)
    assert not state.locked and state.now_playing["title"] == "Open floor"
