"""Polls run by the DJ: one open per session; results kept for the recap."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from pika.db import insert_rows
from pika.db_types import utcnow
from pika.domain import polls as rules
from pika.models import LiveSession, Poll, PollVote, SessionStatus
from pika.services.errors import Conflict, Invalid, NotFound, ServiceError
from pika.services.interactions import UNKNOWN_DANCER, is_dancer_id, once_each


def options(poll: Poll) -> list[str]:
    return json.loads(poll.options_json)


def _close(db: Session, poll: Poll, now: datetime) -> None:
    # A timed poll that already ran out closed at its deadline, not when someone noticed.
    poll.closed_at = min(now, poll.closes_at) if poll.closes_at else now
    db.add(poll)


def open_poll(db: Session, session: LiveSession, spec: rules.PollSpec) -> Poll:
    if session.status == SessionStatus.ENDED:
        raise Invalid("This session has ended.")
    now = utcnow()
    for previous in db.exec(select(Poll).where(Poll.session_id == session.id, col(Poll.closed_at).is_(None))):
        _close(db, previous, now)
    poll = Poll(
        session_id=session.id,
        question=spec.question,
        options_json=json.dumps(list(spec.options)),
        opened_at=now,
        closes_at=now + spec.duration if spec.duration else None,
        play_id=session.current_play_id,
    )
    db.add(poll)
    db.flush()
    return poll


def get_poll(db: Session, session: LiveSession, poll_id: int) -> Poll:
    poll = db.get(Poll, poll_id)
    if poll is None or poll.session_id != session.id:
        raise NotFound("No such poll in this session.")
    return poll


def close_poll(db: Session, session: LiveSession, poll_id: int) -> Poll:
    poll = get_poll(db, session, poll_id)
    if poll.closed_at is None:
        _close(db, poll, utcnow())
    return poll


def _vote_refusal(db: Session, session: LiveSession, dancer_id: str, poll_id: int, option: int,
                  now: datetime) -> ServiceError | None:
    """Why this vote cannot be counted (an earlier vote aside), for the dancer; None if it can."""
    if not is_dancer_id(dancer_id):
        return Invalid(UNKNOWN_DANCER)
    try:
        poll = get_poll(db, session, poll_id)
    except NotFound as exc:
        return exc
    if not rules.is_open(poll.closes_at, poll.closed_at, now):
        return Invalid("This poll has closed.")
    if not 0 <= option < len(options(poll)):
        return Invalid("No such option.")
    return None


def vote(db: Session, session: LiveSession, dancer_id: str, poll_id: int, option: int) -> None:
    if (refusal := _vote_refusal(db, session, dancer_id, poll_id, option, utcnow())) is not None:
        raise refusal
    if db.exec(select(PollVote).where(PollVote.poll_id == poll_id, PollVote.dancer_id == dancer_id)).first():
        raise Conflict("You have already voted in this poll.")
    db.add(PollVote(poll_id=poll_id, dancer_id=dancer_id, option=option))


def quick_votes(db: Session, session: LiveSession, votes: list[tuple[str, int, int]]) -> set[tuple[str, int]]:
    """Many first votes in one statement; `votes` are (dancer_id, poll_id, option). Returns the
    (dancer, poll) pairs stored; any other vote (a second one, a closed poll, a PIN-guarded session)
    takes vote()'s path, which says why."""
    if session.pin_hash is not None:
        return set()
    now = utcnow()
    rows = [{"poll_id": p, "dancer_id": d, "option": o, "created_at": now}
            for d, p, o in once_each(votes)
            if isinstance(p, int) and isinstance(o, int) and _vote_refusal(db, session, d, p, o, now) is None]
    return insert_rows(db, PollVote, rows, ("dancer_id", "poll_id"))  # a dancer who had voted is not returned


def tallies(db: Session, poll: Poll) -> list[int]:
    counts = dict(db.exec(
        select(PollVote.option, func.count()).where(PollVote.poll_id == poll.id).group_by(PollVote.option)
    ).all())
    return [counts.get(i, 0) for i in range(len(options(poll)))]


def my_vote(db: Session, poll_id: int, dancer_id: str) -> int:
    found = db.exec(select(PollVote.option).where(PollVote.poll_id == poll_id, PollVote.dancer_id == dancer_id)).first()
    return -1 if found is None else found


def visible_poll(db: Session, session: LiveSession, now: datetime | None = None) -> Poll | None:
    """The open poll, or the last one for a few seconds after it closed (to show the winner)."""
    now = now or utcnow()
    poll = db.exec(select(Poll).where(Poll.session_id == session.id).order_by(col(Poll.id).desc())).first()
    if poll is None:
        return None
    if rules.is_open(poll.closes_at, poll.closed_at, now):
        return poll
    ended = poll.closed_at or poll.closes_at
    return poll if ended and now - ended < rules.RESULT_SHOWN_FOR else None


def poll_view(db: Session, poll: Poll | None, now: datetime | None = None) -> dict:
    """The poll as the room shows it (plain JSON). Empty id means "no poll"."""
    if poll is None:
        return {"id": 0, "question": "", "options": [], "counts": [], "percents": [], "total": 0, "closes_at": "",
                "open": False, "winners": []}
    now = now or utcnow()
    counts = tallies(db, poll)
    is_open = rules.is_open(poll.closes_at, poll.closed_at, now)
    return {
        "id": poll.id,
        "question": poll.question,
        "options": options(poll),
        "counts": counts,
        "percents": rules.percentages(counts),
        "total": sum(counts),
        "closes_at": poll.closes_at.isoformat() if poll.closes_at else "",
        "open": is_open,
        "winners": [] if is_open else rules.winners(counts),
    }
