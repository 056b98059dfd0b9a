"""The recap of a set: what played, what the floor loved, what it voted."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from pika.db_types import utcnow
from pika.domain.metrics import display_bpm
from pika.domain.polls import percentages, winners
from pika.domain.tracks import full_title
from pika.models import DJ, LiveSession, Play, Poll, Track
from pika.services import interactions, polls


def _duration(start: datetime, end: datetime) -> str:
    minutes = max(0, int((end - start).total_seconds() // 60))
    return f"{minutes // 60} h {minutes % 60:02d} min" if minutes >= 60 else f"{minutes} min"


def recap(db: Session, session: LiveSession) -> dict:
    dj = db.get(DJ, session.dj_id)
    rows = db.exec(
        select(Play, Track).join(Track, col(Track.id) == col(Play.track_id))
        .where(Play.session_id == session.id).order_by(col(Play.played_at), col(Play.id))
    ).all()
    likes = interactions.like_counts(db, [play.id for play, _ in rows])
    tracks = [
        {
            "play_id": play.id,
            "played_at": play.played_at.isoformat(),
            "title": full_title(track.title, track.version),
            "artist": track.artist,
            "bpm": display_bpm(play.bpm if play.bpm is not None else track.bpm),
            "likes": likes.get(play.id, 0),
        }
        for play, track in rows
    ]
    # Peak of the night: the most-liked play; on a tie, the one that came first.
    peak = max(tracks, key=lambda t: (t["likes"], -tracks.index(t)), default=None)
    poll_rows = db.exec(select(Poll).where(Poll.session_id == session.id).order_by(col(Poll.id))).all()
    poll_results = []
    for poll in poll_rows:
        counts = polls.tallies(db, poll)
        options = polls.options(poll)
        poll_results.append({
            "question": poll.question,
            "options": [{"label": o, "count": c, "percent": p} for o, c, p in zip(options, counts, percentages(counts), strict=True)],
            "winners": ", ".join(options[i] for i in winners(counts)) or "No votes",
            "total": sum(counts),
        })
    end = session.ended_at or utcnow()
    return {
        "session_id": session.id,
        "title": session.title,
        "dj_name": dj.display_name if dj else "",
        "status": session.status,
        "date": session.started_at.isoformat(),
        "duration": _duration(session.started_at, end),
        "tracks": tracks,
        "peak": peak if peak and peak["likes"] > 0 else None,
        "polls": poll_results,
        "total_likes": sum(likes.values()),
        "thanks": interactions.thanks_count(db, session.id),
    }
