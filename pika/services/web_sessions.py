"""Signed-in browsers: a random token in the `pika_session` cookie, only its SHA-256 in `web_session`."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlmodel import Session, delete, select

from pika.db_types import utcnow
from pika.models import DJ, WebSession

SESSION_LIFETIME = timedelta(days=30)
# Writing last_seen_at on every page event would turn each click into a write.
_LAST_SEEN_RESOLUTION = timedelta(minutes=5)
_TOKEN_BYTES = 32
_RAW_MAX = 100  # a real token is 43 characters; anything far longer is not ours


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def start_web_session(db: Session, dj: DJ, *, user_agent: str = "") -> str:
    """A new session for the DJ; returns the raw token for the cookie (never stored)."""
    raw = secrets.token_urlsafe(_TOKEN_BYTES)
    now = utcnow()
    db.add(WebSession(dj_id=dj.id, token_hash=_digest(raw), created_at=now, last_seen_at=now,
                      expires_at=now + SESSION_LIFETIME, user_agent=user_agent[:255]))
    db.flush()
    return raw


def dj_for_web_session(db: Session, raw: str | None) -> DJ | None:
    """The signed-in DJ for a cookie value, or None when it is unknown, ended or expired."""
    if not raw or len(raw) > _RAW_MAX:
        return None
    session = db.exec(select(WebSession).where(WebSession.token_hash == _digest(raw))).first()
    now = utcnow()
    if session is None or session.expires_at <= now:
        return None
    if now - session.last_seen_at > _LAST_SEEN_RESOLUTION:
        session.last_seen_at = now
        db.add(session)
    return db.get(DJ, session.dj_id)


def end_web_session(db: Session, raw: str | None) -> None:
    """Sign out: the row is deleted, so the old cookie is worthless even if it was copied."""
    if raw and len(raw) <= _RAW_MAX:
        db.exec(delete(WebSession).where(WebSession.token_hash == _digest(raw)))
