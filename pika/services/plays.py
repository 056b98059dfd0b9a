"""Recording plays: idempotent on the agent's play id, ordered by the agent's played_at."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, select

from pika.db_types import utcnow
from pika.domain import plays as rules
from pika.domain.metrics import clean_metrics
from pika.domain.tracks import display_name, track_key
from pika.models import LiveSession, Play, SessionStatus, Track
from pika.services.errors import Invalid
from pika.services.sessions import bump, touch_activity


@dataclass
class PlayIn:
    play_id: str
    artist: str
    title: str
    played_at: datetime
    version: str | None = None
    bpm: float | None = None
    key: str | None = None
    energy: float | None = None
    duration_s: float | None = None
    source: str = ""


@dataclass
class PlayResult:
    play_id: str
    status: str  # "created" | "duplicate" | "rejected"
    now_playing: bool = False
    unknown_fields: list[str] = field(default_factory=list)
    detail: str | None = None


def _track_for(db: Session, play: PlayIn, metrics) -> Track:
    key = track_key(play.artist, play.title, play.version)
    track = db.exec(select(Track).where(Track.key == key)).first()
    if track is None:
        track = Track(
            key=key,
            artist=display_name(play.artist),
            title=display_name(play.title),
            version=display_name(play.version) if play.version else None,
        )
    # Keep the newest known metadata without erasing what an earlier play told us.
    for attr, value in (("bpm", metrics.bpm), ("musical_key", metrics.key), ("energy", metrics.energy), ("duration_s", metrics.duration_s)):
        if value is not None:
            setattr(track, attr, value)
    db.add(track)
    db.flush()
    return track


def _current_order(db: Session, session: LiveSession) -> tuple[datetime, str] | None:
    if session.current_play_id is None:
        return None
    current = db.get(Play, session.current_play_id)
    return None if current is None else rules.ordering_key(current.played_at, current.id)


def record_plays(db: Session, session: LiveSession, plays: list[PlayIn]) -> list[PlayResult]:
    """Store plays in order. A play already stored changes nothing; an older one never becomes current."""
    if session.status == SessionStatus.ENDED:
        raise Invalid("This session has ended; open a new one.")
    now = utcnow()
    results: list[PlayResult] = []
    current = _current_order(db, session)
    seen: set[str] = set()
    for play in sorted(plays, key=lambda p: rules.ordering_key(p.played_at, p.play_id)):
        if play.play_id in seen:
            results.append(PlayResult(play.play_id, "duplicate"))
            continue
        seen.add(play.play_id)
        existing = db.get(Play, play.play_id)
        if existing is not None:
            if existing.session_id == session.id:
                results.append(PlayResult(play.play_id, "duplicate"))
            else:
                # The same id in another session means a client bug or a guess: refuse, change nothing.
                results.append(PlayResult(play.play_id, "rejected", detail="This play id is already used by another session."))
            continue
        problem = rules.played_at_problem(play.played_at, session.started_at, now)
        if problem:
            results.append(PlayResult(play.play_id, "rejected", detail=problem))
            continue
        metrics = clean_metrics(play.bpm, play.key, play.energy, play.duration_s)
        track = _track_for(db, play, metrics)
        db.add(
            Play(
                id=play.play_id,
                session_id=session.id,
                track_id=track.id,
                played_at=play.played_at,
                received_at=now,
                source=play.source,
                bpm=metrics.bpm,
                musical_key=metrics.key,
                energy=metrics.energy,
                duration_s=metrics.duration_s,
            )
        )
        becomes_current = rules.is_newer(play.played_at, play.play_id, current)
        if becomes_current:
            current = rules.ordering_key(play.played_at, play.play_id)
            session.current_play_id = play.play_id
        results.append(PlayResult(play.play_id, "created", now_playing=becomes_current, unknown_fields=metrics.unknown))
    # Only the play that is current after the whole batch is reported as now playing.
    for result in results:
        result.now_playing = result.play_id == session.current_play_id and result.status == "created"
    touch_activity(session)
    if any(r.status == "created" for r in results):
        bump(session)
    db.add(session)
    db.flush()
    return results
