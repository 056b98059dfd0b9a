"""Session telemetry: what happened to the agent's connection during a set, for its DJ.

Rows are written by the lifecycle in services/sessions.py (kinds in models.SessionEventKind):
`opened` when the agent opens the set, `disconnected` when the sweep sees no heartbeat for the
configured time (2 min), `reconnected` when a heartbeat arrives while `reconnecting`, and `ended`
(detail says whether the DJ ended it or it went idle).
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from pika.models import DJ, SessionEvent
from pika.services.sessions import owned_session


def session_timeline(db: Session, dj: DJ, session_id: str) -> list[SessionEvent]:
    """The session's events, oldest first. NotFound for an unknown id, Forbidden for another DJ's set."""
    session = owned_session(db, dj, session_id)
    query = (
        select(SessionEvent)
        .where(SessionEvent.session_id == session.id)
        # Rows written in one transaction can share a timestamp; the id keeps their real order.
        .order_by(col(SessionEvent.at), col(SessionEvent.id))
    )
    return list(db.exec(query))
