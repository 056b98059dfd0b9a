"""The public picture of a session that every dancer sees, read from the database."""

from __future__ import annotations

from sqlmodel import Session, col, func, select

from pika.domain import history
from pika.domain.metrics import display_bpm
from pika.domain.tempo import tempo_summary
from pika.domain.tracks import full_title
from pika.models import DJ, LiveSession, Play, SessionStatus, Track
from pika.services import announcements, interactions, polls

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
    """One history row as the page shows it, and no more: every play push sends rows to every
    phone, so the row leaves out what only "now playing" shows (title and version apart, key) and
    the microseconds of its time."""
    view = _play_view(play, track)  # one place for how a play reads (its BPM, its full title)
    return {**{key: view[key] for key in _HISTORY_ROW}, "played_at": play.played_at.replace(microsecond=0).isoformat()}


def block_field(prefix: str, key: str) -> str:
    """The dancer state's field for one block of the history: ("history", "0") → "history_0"."""
    return f"{prefix}_{key}"


def _fields(prefix: str, blocks: dict) -> dict:
    return {block_field(prefix, key): items for key, items in blocks.items()}


HISTORY_FIELDS = tuple(block_field("history", key) for key in history.KEYS)
LIKES_FIELDS = ("likes_now", *(block_field("likes", key) for key in history.KEYS))

_Shown = tuple[tuple[Play, Track] | None, list[tuple[int, tuple[Play, Track]]]]


def _shown_plays(db: Session, session: LiveSession) -> _Shown:
    """Now playing (None once the set is over) and the history as (position in the set, play), newest first."""
    total = db.exec(select(func.count()).select_from(Play).where(Play.session_id == session.id)).one()
    rows = db.exec(
        select(Play, Track)
        .join(Track, col(Track.id) == col(Play.track_id))
        .where(Play.session_id == session.id)
        .order_by(col(Play.played_at).desc(), col(Play.id).desc())
        .limit(history.MOST_SHOWN + 1)
    ).all()
    ended = session.status == SessionStatus.ENDED
    current = None
    past = []
    for index, (play, track) in enumerate(rows):
        # Once the set is over, the last track belongs to the set list, not to "now playing".
        if play.id == session.current_play_id and not ended:
            current = (play, track)
        else:
            past.append((total - 1 - index, (play, track)))
    return current, past


def room_snapshot(db: Session, session: LiveSession) -> dict:
    """Now playing, recent history (newest first, in blocks: domain/history.py, never repeating
    the current play) and status."""
    dj = db.get(DJ, session.dj_id)
    shown = _shown_plays(db, session)
    current, past = shown
    blocks, head = history.cut([(position, _history_view(*play)) for position, play in past])
    return {
        **room_counts(db, session, shown),
        "session_id": session.id,
        # Not sent to phones: lets a join skip the database when no PIN guards the session.
        "pin": session.pin_hash is not None,
        "version": session.room_version,
        "title": session.title,
        "dj_name": dj.display_name if dj else "",
        "status": session.status,
        "started_at": session.started_at.isoformat(),
        "ended_at": session.ended_at.isoformat() if session.ended_at else "",
        "now_playing": _play_view(*current) if current else EMPTY_PLAY,
        "history_head": head,
        **_fields("history", blocks),
    }


def room_counts(db: Session, session: LiveSession, shown: _Shown | None = None) -> dict:
    """The parts of the room that dancers' actions and the clock change; refreshed at most once a second.

    Keyed by play where it matters, so a count that arrives after the next play cannot be
    shown on the wrong track. Likes are cut into the history's blocks like the rows they count,
    so a tap on the current track changes one small field, not every track's count.
    """
    current, past = shown if shown is not None else _shown_plays(db, session)
    now_id = current[0].id if current else ""
    likes = interactions.like_counts(db, [now_id] * bool(now_id) + [play.id for _, (play, _) in past])
    blocks, _ = history.cut([(position, play.id) for position, (play, _) in past])
    tempo_play = session.current_play_id if session.status != SessionStatus.ENDED else None
    return {
        "likes_now": {now_id: likes[now_id]} if now_id in likes else {},
        **_fields("likes", {key: {i: likes[i] for i in ids if i in likes} for key, ids in blocks.items()}),
        "tempo": {"play_id": tempo_play or "", **tempo_summary(interactions.tempo_counts(db, tempo_play))},
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
