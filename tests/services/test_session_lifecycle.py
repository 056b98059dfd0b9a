"""Sessions survive short outages, show `reconnecting`, and end by themselves only when idle."""

from __future__ import annotations

from datetime import timedelta

from pika.db_types import utcnow
from pika.models import LiveSession, SessionEvent
from pika.services import accounts, sessions

RECONNECTING_AFTER = timedelta(minutes=2)
IDLE_END_AFTER = timedelta(hours=6)


def _session(db) -> LiveSession:
    dj = accounts.create_dj(db, email="nova@example.com", display_name_="Nova", slug="nova")
    return sessions.open_session(db, dj, title="Friday")


def _sweep(db) -> list[str]:
    return sessions.sweep(db, reconnecting_after=RECONNECTING_AFTER, idle_end_after=IDLE_END_AFTER)


def _events(db, session_id) -> list[str]:
    return [e.kind for e in db.query(SessionEvent).filter(SessionEvent.session_id == session_id).order_by(SessionEvent.id)]


def test_a_quiet_minute_changes_nothing(db):
    session = _session(db)
    session.last_heartbeat_at = utcnow() - timedelta(seconds=60)
    assert _sweep(db) == []
    assert session.status == "live"


def test_two_minutes_without_heartbeat_shows_reconnecting_then_the_agent_resumes(db):
    session = _session(db)
    version = session.room_version
    session.last_heartbeat_at = utcnow() - timedelta(minutes=3)
    assert _sweep(db) == [session.id]
    assert session.status == "reconnecting" and session.ended_at is None
    assert session.room_version > version  # dancers are told
    assert sessions.heartbeat(db, session) is True
    assert session.status == "live"
    assert _events(db, session.id) == ["opened", "disconnected", "reconnected"]


def test_an_idle_session_ends_at_its_last_activity(db):
    session = _session(db)
    last = utcnow() - timedelta(hours=7)
    session.last_activity_at = last
    session.last_heartbeat_at = utcnow()  # an agent left running does not keep a dead set alive
    assert _sweep(db) == [session.id]
    assert session.status == "ended"
    assert session.ended_at == last


def test_ending_twice_keeps_the_first_end(db):
    session = _session(db)
    sessions.end_session(db, session)
    first = session.ended_at
    sessions.end_session(db, session)
    assert session.ended_at == first
    assert _events(db, session.id).count("ended") == 1
