"""Announcements: one active banner per session, for a while or until cancelled."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from pika.db_types import utcnow
from pika.domain.durations import bounded_duration
from pika.models import Announcement, LiveSession, SessionStatus
from pika.services.errors import Invalid, NotFound

MESSAGE_MAX = 200
DURATION_MIN, DURATION_MAX = timedelta(minutes=1), timedelta(minutes=60)


def announce(db: Session, session: LiveSession, message: str, duration_s: float | None) -> Announcement:
    message = message.strip()
    if not 1 <= len(message) <= MESSAGE_MAX:
        raise Invalid(f"An announcement is 1 to {MESSAGE_MAX} characters.")
    if session.status == SessionStatus.ENDED:
        raise Invalid("This session has ended.")
    try:
        duration = bounded_duration(duration_s, DURATION_MIN, DURATION_MAX)
    except ValueError:
        raise Invalid("An announcement shows for 1 to 60 minutes, or until you cancel it.") from None
    now = utcnow()
    for previous in _unfinished(db, session.id):
        previous.cancelled_at = now
        db.add(previous)
    item = Announcement(session_id=session.id, message=message, created_at=now,
                        expires_at=now + duration if duration else None)
    db.add(item)
    db.flush()
    return item


def cancel(db: Session, session: LiveSession, announcement_id: int) -> Announcement:
    item = db.get(Announcement, announcement_id)
    if item is None or item.session_id != session.id:
        raise NotFound("No such announcement in this session.")
    if item.cancelled_at is None:
        item.cancelled_at = utcnow()
        db.add(item)
    return item


def _unfinished(db: Session, session_id: str):
    return db.exec(select(Announcement).where(Announcement.session_id == session_id, col(Announcement.cancelled_at).is_(None)))


def active(db: Session, session_id: str, now: datetime | None = None) -> Announcement | None:
    now = now or utcnow()
    for item in _unfinished(db, session_id):
        if item.expires_at is None or item.expires_at > now:
            return item
    return None


def announcement_view(item: Announcement | None) -> dict:
    if item is None:
        return {"id": 0, "message": "", "expires_at": ""}
    return {"id": item.id, "message": item.message, "expires_at": item.expires_at.isoformat() if item.expires_at else ""}
