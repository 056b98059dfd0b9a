"""The public picture of a session that every dancer sees, read from the database."""

from __future__ import annotations

from sqlmodel import Session, col, select

from pika.domain.metrics import display_bpm
from pika.domain.tempo import tempo_summary
from pika.domain.tracks import full_title
from pika.models import DJ, LiveSession, Play, SessionStatus, Track
from pika.services import announcements, interactions, polls

HISTORY_LENGTH = 30
# "Nothing playing yet" has the same keys as a play, so pages never index a missing key.
EMPTY_PLAY = {"play_id": "", "artist": "", "title": "", "version": "", "full_title": "", "bpm": "", "key": "", "played_at": ""}


def _play_view(play: Play, track: Track) -> dict:
    """One play as the dancer page shows it. Plain JSON types only: it is sent over the socket."""
    return {
        "play_id": play.id,
        "artist": track.artist,
        "title": track.title,
        "version": track.version or "",
        "full_title": full_title(track.title, track.version),
        "bpm": display_bpm(play.bpm if play.bpm is not None else track.bpm),
        "key": play.musical_key or track.musical_key or "",
        "played_at": play.played_at.isoformat(),
    }


_HISTORY_ROW = ("play_id", "artist", "full_title", "bpm")


def _history_view(play: Play, track: Track) -> dict:
    """One history row as the page shows it, and no more: every play push re-sends the whole
    history to every phone (30 rows mid-set), so the row leaves out what only "now playing" shows
    (title and version apart, key) and the microseconds of its time."""
    view = _play_view(play, track)  # one place for how a play reads (its BPM, its full title)
    return {**{key: view[key] for key in _HISTORY_ROW}, "played_at": play.played_at.replace(microsecond=0).isoformat()}


def room_snapshot(db: Session, session: LiveSession) -> dict:
    """Now playing, recent history (newest first, never repeating the current play) and status."""
    dj = db.get(DJ, session.dj_id)
    rows = db.exec(
        select(Play, Track)
        .join(Track, col(Track.id) == col(Play.track_id))
        .where(Play.session_id == session.id)
        .order_by(col(Play.played_at).desc(), col(Play.id).desc())
        .limit(HISTORY_LENGTH + 1)
    ).all()
    now_playing = EMPTY_PLAY
    history = []
    ended = session.status == SessionStatus.ENDED
    for play, track in rows:
        # Once the set is over, the last track belongs to the set list, not to "now playing".
        if play.id == session.current_play_id and not ended:
            now_playing = _play_view(play, track)
        elif len(history) < HISTORY_LENGTH:
            history.append(_history_view(play, track))
    return {
        **room_counts(db, session, [p["play_id"] for p in (now_playing, *history) if p["play_id"]]),
        "session_id": session.id,
        # Not sent to phones: lets a join skip the database when no PIN guards the session.
        "pin": session.pin_hash is not None,
        "version": session.room_version,
        "title": session.title,
        "dj_name": dj.display_name if dj else "",
        "status": session.status,
        "started_at": session.started_at.isoformat(),
        "ended_at": session.ended_at.isoformat() if session.ended_at else "",
        "now_playing": now_playing,
        "history": history,
    }


def room_counts(db: Session, session: LiveSession, play_ids: list[str] | None = None) -> dict:
    """The parts of the room that dancers' actions and the clock change; refreshed at most once a second.

    Keyed by play where it matters, so a count that arrives after the next play cannot be
    shown on the wrong track.
    """
    if play_ids is None:
        play_ids = list(db.exec(
            select(Play.id).where(Play.session_id == session.id).order_by(col(Play.played_at).desc()).limit(HISTORY_LENGTH + 1)
        ))
    current = session.current_play_id if session.status != SessionStatus.ENDED else None
    return {
        "likes": interactions.like_counts(db, play_ids),
        "tempo": {"play_id": current or "", **tempo_summary(interactions.tempo_counts(db, current))},
        "poll": polls.poll_view(db, polls.visible_poll(db, session)),
        "announcement": announcements.announcement_view(announcements.active(db, session.id)),
    }


def lobby_entries(db: Session) -> list[dict]:
    """Live sessions for /live: DJ, title, current track."""
    from pika.services.sessions import live_sessions

    entries = []
    for session in live_sessions(db):
        dj = db.get(DJ, session.dj_id)
        current = db.get(Play, session.current_play_id) if session.current_play_id else None
        track = db.get(Track, current.track_id) if current else None
        entries.append({
            "id": session.id,
            "title": session.title,
            "dj_name": dj.display_name if dj else "",
            "status": session.status,
            # A PIN-protected set shows nothing of itself beyond its name.
            "now_playing": f"{full_title(track.title, track.version)} — {track.artist}" if track and not session.pin_hash else "",
            "locked": "1" if session.pin_hash else "",
        })
    return entries
