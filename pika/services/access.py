"""Who may see a PIN-protected session."""

from __future__ import annotations

from sqlmodel import Session, select

from pika.domain.pins import check_pin
from pika.models import LiveSession, SessionMember
from pika.services.errors import Forbidden


def may_enter(db: Session, session: LiveSession, dancer_id: str) -> bool:
    if session.pin_hash is None:
        return True
    return db.exec(select(SessionMember).where(SessionMember.session_id == session.id,
                                               SessionMember.dancer_id == dancer_id)).first() is not None


def unlock(db: Session, session: LiveSession, dancer_id: str, pin: str) -> None:
    """Check the PIN; remember the dancer so they enter it once."""
    if session.pin_hash is None or may_enter(db, session, dancer_id):
        return
    if not check_pin(pin.strip(), session.pin_hash):
        raise Forbidden("That PIN is not right. Ask the DJ or check the screen.")
    db.add(SessionMember(session_id=session.id, dancer_id=dancer_id))
