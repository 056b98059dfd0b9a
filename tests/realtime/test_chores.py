"""The leader's coalesced refresh: one update per dirty room, and timers that end by themselves."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

import pytest

from pika.db import session_scope
from pika.db_types import utcnow
from pika.models import Announcement
from pika.realtime.chores import Chores
from pika.services import accounts, announcements, interactions, plays, sessions
from pika.services.rooms import room_counts, room_snapshot
from pika.settings import get_settings


@pytest.fixture
def live_session(engine):
    with session_scope(engine) as db:
        dj = accounts.create_dj(db, email="nova@example.com", display_name_="Nova", slug="nova")
        session = sessions.open_session(db, dj, title="Friday")
        play_id = str(uuid.uuid4())
        plays.record_plays(db, session, [plays.PlayIn(play_id=play_id, artist="A", title="T", played_at=utcnow())])
        return session.id, play_id


def emitted_counts(bound_hub) -> list[dict]:
    return [next(iter(p["delta"].values())) for _, _, p in bound_hub.app.event_namespace.emitted]


async def test_many_taps_make_one_update_per_refresh(bound_hub, engine, live_session):
    session_id, play_id = live_session
    with session_scope(engine) as db:
        session = sessions.get_session(db, session_id)
        for i in range(50):
            interactions.set_like(db, session, f"d{i}", play_id, True)
    for _ in range(50):
        await bound_hub.store.mark_dirty(session_id)
    chores = Chores(bound_hub, get_settings(), "w1")
    await chores.refresh_counts()
    (update,) = emitted_counts(bound_hub)
    assert update["likes_now_rx_state_"] == {play_id: 50}
    await chores.refresh_counts()  # nothing new: nothing sent
    assert len(emitted_counts(bound_hub)) == 1


async def test_an_announcement_disappears_when_its_time_is_up(bound_hub, engine, live_session):
    session_id, _ = live_session
    with session_scope(engine) as db:
        item = announcements.announce(db, sessions.get_session(db, session_id), "Last dance!", 60)
        item_id = item.id
    with session_scope(engine) as db:  # shorten its life to keep the test fast
        db.get(Announcement, item_id).expires_at = expires = utcnow() + timedelta(seconds=3)
    await bound_hub.store.mark_dirty(session_id)
    chores = Chores(bound_hub, get_settings(), "w1")
    await chores.refresh_counts()
    assert emitted_counts(bound_hub)[-1]["announcement_rx_state_"]["message"] == "Last dance!"
    await asyncio.sleep(max(0.0, (expires - utcnow()).total_seconds()) + 0.1)
    await chores.refresh_counts()  # no dancer acted: the clock alone triggers it
    assert emitted_counts(bound_hub)[-1]["announcement_rx_state_"]["message"] == ""


async def test_counts_read_before_a_play_but_stored_after_it_are_put_right_by_the_next_refresh(
        bound_hub, engine, live_session):
    session_id, first = live_session
    with session_scope(engine) as db:
        session = sessions.get_session(db, session_id)
        for i in range(3):
            interactions.set_like(db, session, f"d{i}", first, True)
        stale = room_counts(db, session)  # another worker's refresh reads now ...
    with session_scope(engine) as db:  # ... the next track starts ...
        session = sessions.get_session(db, session_id)
        plays.record_plays(db, session, [plays.PlayIn(play_id=str(uuid.uuid4()), artist="B", title="Next",
                                                      played_at=utcnow())])
        snapshot = room_snapshot(db, session)
    await bound_hub.publish(snapshot)
    assert emitted_counts(bound_hub)[-1]["likes_now_rx_state_"] == {}
    await bound_hub.publish_counts(session_id, stale)  # ... and that refresh is stored after it
    assert emitted_counts(bound_hub)[-1]["likes_now_rx_state_"] == {first: 3}  # the new track shows 3 likes

    await Chores(bound_hub, get_settings(), "w1").refresh_counts()
    assert emitted_counts(bound_hub)[-1]["likes_now_rx_state_"] == {}
    assert (await bound_hub.store.get_counts(session_id))["likes_now"] == {}
