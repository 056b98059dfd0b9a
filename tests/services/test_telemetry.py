"""The DJ reads the life of the agent's connection: opened, disconnected, reconnected, ended."""

from __future__ import annotations

from datetime import timedelta

import pytest

from pika.db_types import utcnow
from pika.services import accounts, sessions
from pika.services.errors import Forbidden, NotFound
from pika.services.telemetry import session_timeline

RECONNECTING_AFTER = timedelta(minutes=2)
IDLE_END_AFTER = timedelta(hours=6)


def _sweep(db) -> list[str]:
    return sessions.sweep(db, reconnecting_after=RECONNECTING_AFTER, idle_end_after=IDLE_END_AFTER)


@pytest.fixture
def nova(db):
    return accounts.create_dj(db, email="nova@example.com", display_name_="Nova", slug="nova")


def test_a_set_with_an_outage_reads_opened_disconnected_reconnected_ended(db, nova):
    session = sessions.open_session(db, nova, title="Friday")
    db.flush()
    session.last_heartbeat_at = utcnow() - timedelta(minutes=3)
    assert _sweep(db) == [session.id]
    db.flush()
    sessions.heartbeat(db, session)
    db.flush()
    sessions.heartbeat(db, session)  # an ordinary heartbeat is not an event
    sessions.end_session(db, session, reason="ended by the DJ")
    db.flush()

    timeline = session_timeline(db, nova, session.id)
    assert [(e.kind, e.detail) for e in timeline] == [
        ("opened", ""), ("disconnected", "no heartbeat"), ("reconnected", ""), ("ended", "ended by the DJ"),
    ]
    assert [e.at for e in timeline] == sorted(e.at for e in timeline)
    assert all(e.at.tzinfo is not None for e in timeline)


def test_an_idle_set_ends_at_its_last_activity_and_says_so(db, nova):
    session = sessions.open_session(db, nova)
    last = utcnow() - timedelta(hours=7)
    session.last_activity_at = session.last_heartbeat_at = last
    assert _sweep(db) == [session.id]
    db.flush()
    assert session.ended_at == last
    kinds = [(e.kind, e.detail) for e in session_timeline(db, nova, session.id)]
    # Idle for hours: it ends once, without a `disconnected` step first.
    assert kinds == [("opened", ""), ("ended", "idle")]


def test_a_short_blip_writes_nothing(db, nova):
    session = sessions.open_session(db, nova)
    session.last_heartbeat_at = utcnow() - timedelta(seconds=90)
    assert _sweep(db) == []
    db.flush()
    assert [e.kind for e in session_timeline(db, nova, session.id)] == ["opened"]


def test_only_the_owner_reads_a_timeline(db, nova):
    other = accounts.create_dj(db, email="lowtide@example.com", display_name_="Lowtide", slug="lowtide")
    session = sessions.open_session(db, nova)
    db.flush()
    with pytest.raises(Forbidden):
        session_timeline(db, other, session.id)
    with pytest.raises(NotFound):
        session_timeline(db, nova, "zzzzzzzzzzzz")
    with pytest.raises(NotFound):
        session_timeline(db, nova, "not an id")


def test_timelines_do_not_mix_sessions(db, nova):
    first = sessions.open_session(db, nova)
    second = sessions.open_session(db, nova)
    sessions.end_session(db, second)
    db.flush()
    assert [e.kind for e in session_timeline(db, nova, first.id)] == ["opened"]
    assert [e.kind for e in session_timeline(db, nova, second.id)] == ["opened", "ended"]
