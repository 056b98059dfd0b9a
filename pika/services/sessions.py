"""Live sessions: open, heartbeat, end, and the lifecycle sweeps."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from pika.db_types import utcnow
from pika.domain.ids import is_session_id, new_session_id
from pika.domain.pins import hash_pin, pin_problem
from pika.models import DJ, LiveSession, SessionEvent, SessionEventKind, SessionStatus
from pika.services.errors import Forbidden, Invalid, NotFound

TITLE_MAX = 120


def record_event(db: Session, session_id: str, kind: SessionEventKind, detail: str = "") -> None:
    db.add(SessionEvent(session_id=session_id, kind=kind, detail=detail[:2000]))


def open_session(db: Session, dj: DJ, *, title: str = "", pin: str | None = None) -> LiveSession:
    title = title.strip()
    if len(title) > TITLE_MAX:
        raise Invalid(f"The title can be at most {TITLE_MAX} characters.")
    if pin is not None and (problem := pin_problem(pin)):
        raise Invalid(problem)
    session = LiveSession(id=new_session_id(), dj_id=dj.id, title=title or f"{dj.display_name} live",
                          pin_hash=hash_pin(pin) if pin else None)
    db.add(session)
    db.flush()
    record_event(db, session.id, SessionEventKind.OPENED)
    return session


def get_session(db: Session, session_id: str) -> LiveSession:
    session = db.get(LiveSession, session_id) if is_session_id(session_id) else None
    if session is None:
        raise NotFound("No session with this id.")
    return session


def owned_session(db: Session, dj: DJ, session_id: str, *, for_update: bool = False) -> LiveSession:
    """A session the DJ may drive: 404 if unknown, 403 if it belongs to someone else."""
    if not is_session_id(session_id):
        raise NotFound("No session with this id.")
    query = select(LiveSession).where(LiveSession.id == session_id)
    if for_update:
        # Serialises concurrent writes to one session (PostgreSQL; SQLite locks the file).
        query = query.with_for_update()
    session = db.exec(query).first()
    if session is None:
        raise NotFound("No session with this id.")
    if session.dj_id != dj.id:
        raise Forbidden("This session belongs to another DJ.")
    return session


def writable_session(db: Session, dj: DJ, session_id: str) -> LiveSession:
    session = owned_session(db, dj, session_id, for_update=True)
    if session.status == SessionStatus.ENDED:
        raise Invalid("This session has ended; open a new one.")
    return session


def heartbeat(db: Session, session: LiveSession) -> bool:
    """Note that the agent is alive. Returns True when the session came back from reconnecting."""
    now = utcnow()
    session.last_heartbeat_at = now
    came_back = session.status == SessionStatus.RECONNECTING
    if came_back:
        session.status = SessionStatus.LIVE
        bump(session)
        record_event(db, session.id, SessionEventKind.RECONNECTED)
    db.add(session)
    return came_back


def bump(session: LiveSession) -> None:
    """Mark a change dancers will see; the room keeps the copy with the highest version."""
    session.room_version += 1


def touch_activity(session: LiveSession) -> None:
    """Something happened in the set (a play, a poll…); a write from the agent also proves it is alive."""
    now = utcnow()
    session.last_activity_at = now
    session.last_heartbeat_at = now


def end_session(db: Session, session: LiveSession, *, ended_at: datetime | None = None, reason: str = "") -> LiveSession:
    if session.status != SessionStatus.ENDED:
        session.status = SessionStatus.ENDED
        session.ended_at = ended_at or utcnow()
        bump(session)
        db.add(session)
        record_event(db, session.id, SessionEventKind.ENDED, reason)
    return session


def live_sessions(db: Session) -> list[LiveSession]:
    query = (
        select(LiveSession)
        .where(col(LiveSession.status).in_([SessionStatus.LIVE, SessionStatus.RECONNECTING]))
        .order_by(col(LiveSession.started_at).desc())
    )
    return list(db.exec(query))


def sweep(db: Session, *, reconnecting_after: timedelta, idle_end_after: timedelta) -> list[str]:
    """Mark silent sessions `reconnecting` and end idle ones. Returns the ids that changed."""
    now = utcnow()
    changed: list[str] = []
    for session in live_sessions(db):
        if now - session.last_activity_at > idle_end_after:
            end_session(db, session, ended_at=session.last_activity_at, reason="idle")
            changed.append(session.id)
        elif session.status == SessionStatus.LIVE and now - session.last_heartbeat_at > reconnecting_after:
            session.status = SessionStatus.RECONNECTING
            bump(session)
            db.add(session)
            record_event(db, session.id, SessionEventKind.DISCONNECTED, "no heartbeat")
            changed.append(session.id)
    return changed
