"""What dancers do on the floor: likes, tempo votes, thanks. Limits are checked by the caller."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, col, select

from pika.db import insert_rows
from pika.db_types import utcnow
from pika.domain.tempo import CHOICES
from pika.models import Like, LiveSession, Play, Reaction, SessionStatus, TempoVote
from pika.services.errors import Invalid, NotFound

DANCER_ID_MAX = 64
UNKNOWN_DANCER = "Unknown dancer."  # what a tap with a bad dancer id is told, whatever the tap


def is_dancer_id(dancer_id: str) -> bool:
    return bool(dancer_id) and len(dancer_id) <= DANCER_ID_MAX


def _is_play_id(play_id: str) -> bool:
    return bool(play_id) and len(play_id) <= 36


def _check_dancer(dancer_id: str) -> None:
    if not is_dancer_id(dancer_id):
        raise Invalid(UNKNOWN_DANCER)


def _play_in_session(db: Session, session: LiveSession, play_id: str) -> Play:
    play = db.get(Play, play_id) if _is_play_id(play_id) else None
    if play is None or play.session_id != session.id:
        raise NotFound("This track is not part of this session.")
    return play


def set_like(db: Session, session: LiveSession, dancer_id: str, play_id: str, liked: bool) -> bool:
    """Like or unlike. Idempotent (a replayed offline like changes nothing). Returns True if it changed."""
    _check_dancer(dancer_id)
    _play_in_session(db, session, play_id)
    existing = db.exec(select(Like).where(Like.dancer_id == dancer_id, Like.play_id == play_id)).first()
    if liked and existing is None:
        db.add(Like(play_id=play_id, session_id=session.id, dancer_id=dancer_id))
        return True
    if not liked and existing is not None:
        db.delete(existing)
        return True
    return False


def once_each(items: list[tuple]) -> list[tuple]:
    """The items whose (dancer, target) occurs once. A dancer's second tap on the same thing in one
    batch takes the careful path with the first, in order: one statement cannot say which came last."""
    seen: dict[tuple, int] = {}
    for item in items:
        seen[item[:2]] = seen.get(item[:2], 0) + 1
    return [item for item in items if seen[item[:2]] == 1]


def quick_likes(db: Session, session: LiveSession, taps: list[tuple[str, str, bool]]) -> set[tuple[str, str]]:
    """Many plain likes of one session in two statements; `taps` are (dancer_id, play_id, liked).

    Returns the pairs stored now. A pair left out is "not that simple" (an unlike, already liked,
    unknown play, PIN-guarded session, bad dancer id): the caller takes set_like's path, which
    knows why. A storm of 2,000 likes in a second is why this exists: the taps of a moment share
    one round trip instead of one transaction each."""
    if session.pin_hash is not None:
        return set()
    wanted = [(d, p) for d, p, liked in once_each(taps) if liked and is_dancer_id(d) and _is_play_id(p)]
    if not wanted:
        return set()
    in_session = set(db.exec(
        select(Play.id).where(col(Play.id).in_({p for _d, p in wanted}), Play.session_id == session.id)
    ))
    rows = [{"play_id": p, "session_id": session.id, "dancer_id": d, "created_at": utcnow()}
            for d, p in wanted if p in in_session]
    return insert_rows(db, Like, rows, ("dancer_id", "play_id"))  # exactly the rows that were not there yet


def liked_play_ids(db: Session, session_id: str, dancer_id: str) -> list[str]:
    return list(db.exec(select(Like.play_id).where(Like.session_id == session_id, Like.dancer_id == dancer_id)))


def like_counts(db: Session, play_ids: list[str]) -> dict[str, int]:
    if not play_ids:
        return {}
    rows = db.exec(select(Like.play_id, func.count()).where(col(Like.play_id).in_(play_ids)).group_by(Like.play_id))
    return {play_id: count for play_id, count in rows}


def total_likes(db: Session, session_id: str) -> int:
    return db.exec(select(func.count()).select_from(Like).where(Like.session_id == session_id)).one()


def _tempo_refusal(session: LiveSession, dancer_id: str, play_id: str, choice: str | None) -> str | None:
    """Why this tempo vote cannot be stored, for the dancer; None if it can (None clears a vote)."""
    if not is_dancer_id(dancer_id):
        return UNKNOWN_DANCER
    if session.status == SessionStatus.ENDED:
        return "This session has ended."
    if play_id != session.current_play_id:
        return "Tempo votes are for the track that is playing now."
    if choice is not None and choice not in CHOICES:
        return "Choose slower, perfect or faster."
    return None


def set_tempo(db: Session, session: LiveSession, dancer_id: str, play_id: str, choice: str | None) -> None:
    """Vote on the CURRENT play only; None clears the vote."""
    if (refusal := _tempo_refusal(session, dancer_id, play_id, choice)) is not None:
        raise Invalid(refusal)
    existing = db.exec(select(TempoVote).where(TempoVote.dancer_id == dancer_id, TempoVote.play_id == play_id)).first()
    if choice is None:
        if existing is not None:
            db.delete(existing)
    elif existing is None:
        db.add(TempoVote(play_id=play_id, session_id=session.id, dancer_id=dancer_id, choice=choice))
    else:
        existing.choice = choice
        db.add(existing)


def quick_tempo(db: Session, session: LiveSession, votes: list[tuple[str, str, str | None]]) -> set[tuple[str, str]]:
    """Many tempo votes on the playing track in one statement; `votes` are (dancer_id, play_id, choice).
    Returns the (dancer, play) pairs stored; any other vote takes set_tempo's path, which says why
    (or clears it). Tempo and poll votes one by one were most of a worker's database time while
    10% of 2,000 dancers tapped: a savepoint, a read and a write each."""
    if session.pin_hash is not None:
        return set()
    now = utcnow()
    rows = [{"play_id": p, "session_id": session.id, "dancer_id": d, "choice": c, "created_at": now}
            for d, p, c in once_each(votes) if c is not None and _tempo_refusal(session, d, p, c) is None]
    return insert_rows(db, TempoVote, rows, ("dancer_id", "play_id"), update=("choice",))


def my_tempo(db: Session, dancer_id: str, play_id: str | None) -> str:
    if not play_id:
        return ""
    vote = db.exec(select(TempoVote.choice).where(TempoVote.dancer_id == dancer_id, TempoVote.play_id == play_id)).first()
    return vote or ""


def tempo_counts(db: Session, play_id: str | None) -> dict[str, int]:
    if not play_id:
        return {}
    rows = db.exec(select(TempoVote.choice, func.count()).where(TempoVote.play_id == play_id).group_by(TempoVote.choice))
    return dict(rows.all())


def thank(db: Session, session: LiveSession, dancer_id: str) -> None:
    _check_dancer(dancer_id)
    if session.status == SessionStatus.ENDED:
        raise Invalid("This session has ended.")
    db.add(Reaction(session_id=session.id, dancer_id=dancer_id))


def thanks_count(db: Session, session_id: str, since=None) -> int:
    query = select(func.count()).select_from(Reaction).where(Reaction.session_id == session_id)
    if since is not None:
        query = query.where(Reaction.created_at > since)
    return db.exec(query).one()


def journal(db: Session, dancer_id: str, limit: int = 500) -> list[dict]:
    """A dancer's liked tracks, grouped by session, newest session first."""
    from pika.domain.tracks import full_title
    from pika.models import DJ, Track

    rows = db.exec(
        select(Like, Play, Track, LiveSession, DJ)
        .join(Play, col(Play.id) == col(Like.play_id))
        .join(Track, col(Track.id) == col(Play.track_id))
        .join(LiveSession, col(LiveSession.id) == col(Like.session_id))
        .join(DJ, col(DJ.id) == col(LiveSession.dj_id))
        .where(Like.dancer_id == dancer_id)
        .order_by(col(LiveSession.started_at).desc(), col(Play.played_at))
        .limit(limit)
    ).all()
    groups: dict[str, dict] = {}
    for _like, play, track, session, dj in rows:
        group = groups.setdefault(session.id, {
            "session_id": session.id, "title": session.title, "dj_name": dj.display_name,
            "date": session.started_at.isoformat(), "tracks": [],
        })
        group["tracks"].append({"title": full_title(track.title, track.version), "artist": track.artist,
                                "played_at": play.played_at.isoformat()})
    return list(groups.values())
