"""Agent API v1: polls, announcements and the crowd feed (what the DJ sees of the floor)."""

from __future__ import annotations

from datetime import datetime

from fastapi import Query
from sqlmodel import Session

from pika.api.routes import Owner, SessionId, in_db, router
from pika.api.schemas import AnnouncementIn, AnnouncementOut, CrowdOut, PollOpenIn, PollOut, TempoOut
from pika.db_types import utcnow
from pika.domain import polls as poll_rules
from pika.domain.tempo import tempo_summary
from pika.realtime.hub import hub
from pika.services import announcements, interactions, polls
from pika.services import sessions as session_service
from pika.services.errors import Invalid
from pika.services.rooms import room_counts


async def _refresh(session_id: str, counts: dict) -> None:
    # Send the DJ's change at once, and let the leader watch its timer (poll close, expiry).
    await hub.publish_counts(session_id, counts)
    await hub.store.mark_dirty(session_id)


def _spec(body: PollOpenIn) -> poll_rules.PollSpec:
    try:
        if body.preset:
            return poll_rules.preset(body.preset, body.duration_s)
        return poll_rules.make_poll(body.question or "", body.options or [], body.duration_s)
    except poll_rules.PollProblem as exc:
        raise Invalid(str(exc)) from exc


@router.post("/sessions/{session_id}/polls", response_model=PollOut, status_code=201, summary="Open a poll")
async def open_poll(session_id: SessionId, body: PollOpenIn, dj: Owner) -> PollOut:
    spec = _spec(body)

    def work(db: Session):
        session = session_service.writable_session(db, dj, session_id)
        poll = polls.open_poll(db, session, spec)
        session_service.touch_activity(session)
        return polls.poll_view(db, poll), room_counts(db, session)

    view, counts = await in_db(work)
    await _refresh(session_id, counts)
    return PollOut(**view)


@router.post("/sessions/{session_id}/polls/{poll_id}/close", response_model=PollOut, summary="Close a poll")
async def close_poll(session_id: SessionId, poll_id: int, dj: Owner) -> PollOut:
    def work(db: Session):
        session = session_service.owned_session(db, dj, session_id, for_update=True)
        poll = polls.close_poll(db, session, poll_id)
        db.flush()
        return polls.poll_view(db, poll), room_counts(db, session)

    view, counts = await in_db(work)
    await _refresh(session_id, counts)
    return PollOut(**view)


@router.post("/sessions/{session_id}/announcements", response_model=AnnouncementOut, status_code=201,
             summary="Show an announcement to the session's dancers")
async def announce(session_id: SessionId, body: AnnouncementIn, dj: Owner) -> AnnouncementOut:
    def work(db: Session):
        session = session_service.writable_session(db, dj, session_id)
        item = announcements.announce(db, session, body.message, body.duration_s)
        session_service.touch_activity(session)
        return announcements.announcement_view(item), room_counts(db, session)

    view, counts = await in_db(work)
    await _refresh(session_id, counts)
    return AnnouncementOut(**view)


@router.post("/sessions/{session_id}/announcements/{announcement_id}/cancel", response_model=AnnouncementOut,
             summary="Take an announcement down")
async def cancel_announcement(session_id: SessionId, announcement_id: int, dj: Owner) -> AnnouncementOut:
    def work(db: Session):
        session = session_service.owned_session(db, dj, session_id, for_update=True)
        item = announcements.cancel(db, session, announcement_id)
        db.flush()
        return announcements.announcement_view(item), room_counts(db, session)

    view, counts = await in_db(work)
    await _refresh(session_id, counts)
    return AnnouncementOut(**view)


@router.get("/sessions/{session_id}/crowd", response_model=CrowdOut, summary="The floor right now")
async def crowd(session_id: SessionId, dj: Owner,
                since: datetime | None = Query(default=None, description="Cursor from the previous answer")) -> CrowdOut:
    if since is not None and since.tzinfo is None:
        raise Invalid("since must include a timezone (use the cursor from the previous answer).")
    now = utcnow()

    def work(db: Session):
        session = session_service.owned_session(db, dj, session_id)
        current = session.current_play_id
        poll = polls.visible_poll(db, session, now)
        return {
            "status": session.status,
            "now_playing_play_id": current,
            "likes_current": interactions.like_counts(db, [current]).get(current, 0) if current else 0,
            "likes_total": interactions.total_likes(db, session.id),
            "tempo": TempoOut(**tempo_summary(interactions.tempo_counts(db, current))),
            "thanks_total": interactions.thanks_count(db, session.id),
            "thanks_since": interactions.thanks_count(db, session.id, since or now),
            "poll": PollOut(**polls.poll_view(db, poll, now)) if poll else None,
            "announcement": AnnouncementOut(**announcements.announcement_view(item))
            if (item := announcements.active(db, session.id, now)) else None,
        }

    fields = await in_db(work)
    listeners = await hub.store.listener_count(session_id)
    return CrowdOut(**fields, listeners=listeners, cursor=now.isoformat())
