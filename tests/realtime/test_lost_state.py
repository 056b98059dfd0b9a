"""A dancer whose server-side state vanished (Redis back empty, socket still up) stays the same dancer."""

from __future__ import annotations

import pytest
from sqlmodel import select

from pika.db import session_scope
from pika.models import Like
from pika.pages.session_state import DancerRoomState
from pika.services import accounts, sessions
from tests.realtime.test_join import add_play, dancer_state, drive


def open_set(engine) -> str:
    with session_scope(engine) as db:
        dj = accounts.create_dj(db, email="nova@example.com", display_name_="Nova", slug="nova")
        return sessions.open_session(db, dj, title="Friday").id


@pytest.fixture
def session_id(engine) -> str:
    return open_set(engine)


def name(event) -> str:
    return getattr(event, "handler", event).fn.__name__


async def run(handler, state, *args) -> list:
    return [out async for out in handler.fn(state, *args)]


async def test_a_tap_on_a_vanished_state_resyncs_and_replays_it_for_the_same_dancer(bound_hub, engine, session_id):
    play_id = add_play(engine, session_id, "Before the flush")["now_playing"]["play_id"]
    before = dancer_state(session_id)
    await drive(before)  # joined: this worker knows which dancer holds socket sid-1
    await run(DancerRoomState.toggle_like, before, play_id)

    fresh = dancer_state(session_id)  # what Reflex makes when the state is gone from Redis
    assert fresh.dancer_id == "" and fresh.liked == []
    (events,) = await run(DancerRoomState.toggle_like, fresh, play_id)
    assert fresh.dancer_id == before.dancer_id
    assert [name(e) for e in events] == ["join", "toggle_like"]
    assert play_id in str(events[1].args)

    # The page sends them back: join reloads the dancer's own likes, so the replayed tap knows
    # this play is liked already (it unlikes, as the dancer who tapped a lit heart meant).
    await drive(fresh)
    assert fresh.liked == [play_id]
    assert fresh.now_playing["title"] == "Before the flush"


async def test_a_new_play_after_the_flush_can_be_liked(bound_hub, engine, session_id):
    first = dancer_state(session_id)
    await drive(first)
    play_id = add_play(engine, session_id, "After the flush")["now_playing"]["play_id"]
    fresh = dancer_state(session_id)
    await run(DancerRoomState.toggle_like, fresh, play_id)  # resync: join, then the tap again
    await drive(fresh)
    await run(DancerRoomState.toggle_like, fresh, play_id)
    assert fresh.liked == [play_id]
    with session_scope(engine) as db:
        (like,) = db.exec(select(Like).where(Like.play_id == play_id))
    assert like.dancer_id == first.dancer_id


async def test_an_unknown_socket_is_told_not_silently_ignored(bound_hub, engine, session_id):
    fresh = dancer_state(session_id, sid="never-joined")
    (events,) = await run(DancerRoomState.thank_dj, fresh)
    assert fresh.dancer_id == ""  # no identity is invented for it
    assert "Reconnecting" in str(events[0])
