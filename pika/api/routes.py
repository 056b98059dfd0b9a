"""Agent API v1 endpoints. Database work runs in a thread; room updates are awaited after commit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, TypeVar

from fastapi import APIRouter, Depends, Path, Response
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from pika import routes
from pika.api.auth import current_dj
from pika.api.schemas import (
    DJOut,
    ErrorOut,
    HeartbeatOut,
    PlayBatchIn,
    PlayIn,
    PlayResultOut,
    PlaysOut,
    SessionEventOut,
    SessionOpenIn,
    SessionOut,
)
from pika.db import session_scope
from pika.db_types import utcnow
from pika.domain.qr import qr_svg
from pika.models import DJ, LiveSession
from pika.realtime.hub import hub
from pika.services import plays as play_service
from pika.services import sessions as session_service
from pika.services.rooms import room_snapshot
from pika.services.telemetry import session_timeline

T = TypeVar("T")
SessionId = Annotated[str, Path(max_length=32, description="The session's public id.")]
Owner = Annotated[DJ, Depends(current_dj)]

_ERRORS = {code: {"model": ErrorOut} for code in (400, 401, 403, 404, 409, 413, 422)}
router = APIRouter(prefix=routes.API_PREFIX, responses=_ERRORS)


async def in_db(work: Callable[[Session], T]) -> T:
    def run() -> T:
        with session_scope() as db:
            return work(db)

    return await run_in_threadpool(run)


def _session_out(session: LiveSession) -> SessionOut:
    return SessionOut(
        id=session.id,
        title=session.title,
        status=session.status,
        started_at=session.started_at.isoformat(),
        ended_at=session.ended_at.isoformat() if session.ended_at else None,
        join_url=routes.join_url(session.id),
        qr_url=routes.qr_page_url(session.id),
        qr_image_url=routes.qr_image_url(session.id),
        has_pin=session.pin_hash is not None,
    )


@router.get("/me", response_model=DJOut, summary="Who am I (checks the token)")
async def me(dj: Owner) -> DJOut:
    return DJOut(id=dj.id, display_name=dj.display_name, slug=dj.slug, email=dj.email)


@router.post("/sessions", response_model=SessionOut, status_code=201, summary="Open a live session")
async def open_session(body: SessionOpenIn, dj: Owner) -> SessionOut:
    def work(db: Session):
        session = session_service.open_session(db, dj, title=body.title, pin=body.pin)
        return session, room_snapshot(db, session)

    session, snapshot = await in_db(work)
    await hub.publish(snapshot)
    return _session_out(session)


@router.get("/sessions/{session_id}", response_model=SessionOut, summary="A session of mine")
async def get_session(session_id: SessionId, dj: Owner) -> SessionOut:
    session = await in_db(lambda db: session_service.owned_session(db, dj, session_id))
    return _session_out(session)


async def _record(session_id: str, dj: DJ, plays: list[PlayIn]) -> PlaysOut:
    def work(db: Session):
        session = session_service.writable_session(db, dj, session_id)
        results = play_service.record_plays(
            db,
            session,
            [play_service.PlayIn(**p.model_dump(exclude={"play_id"}), play_id=str(p.play_id)) for p in plays],
        )
        return results, session.current_play_id, room_snapshot(db, session)

    results, current, snapshot = await in_db(work)
    if any(r.status == "created" for r in results):
        await hub.publish(snapshot)
    else:
        # Sent again: the first request may have stored its plays and failed to push them (503).
        await hub.publish_missing(snapshot)
    return PlaysOut(results=[PlayResultOut(**vars(r)) for r in results], now_playing_play_id=current)


@router.post("/sessions/{session_id}/plays", response_model=PlaysOut, summary="Send one play")
async def post_play(session_id: SessionId, body: PlayIn, dj: Owner) -> PlaysOut:
    return await _record(session_id, dj, [body])


@router.post("/sessions/{session_id}/plays/batch", response_model=PlaysOut, summary="Send several plays (offline replay)")
async def post_plays(session_id: SessionId, body: PlayBatchIn, dj: Owner) -> PlaysOut:
    return await _record(session_id, dj, body.plays)


@router.post("/sessions/{session_id}/heartbeat", response_model=HeartbeatOut, summary="The agent is alive")
async def heartbeat(session_id: SessionId, dj: Owner) -> HeartbeatOut:
    def work(db: Session):
        session = session_service.writable_session(db, dj, session_id)
        came_back = session_service.heartbeat(db, session)
        return session.status, (room_snapshot(db, session) if came_back else None)

    status, snapshot = await in_db(work)
    if snapshot is not None:
        await hub.publish(snapshot)
    return HeartbeatOut(status=status, server_time=utcnow().isoformat())


@router.post("/sessions/{session_id}/end", response_model=SessionOut, summary="End the set")
async def end_session(session_id: SessionId, dj: Owner) -> SessionOut:
    def work(db: Session):
        session = session_service.owned_session(db, dj, session_id, for_update=True)
        session_service.end_session(db, session, reason="ended by the DJ")
        return session, room_snapshot(db, session)

    session, snapshot = await in_db(work)
    await hub.publish(snapshot)
    return _session_out(session)


@router.get("/sessions/{session_id}/events", response_model=list[SessionEventOut],
            summary="The agent's connection history for a session of mine, oldest first")
async def session_events(session_id: SessionId, dj: Owner) -> list[SessionEventOut]:
    def work(db: Session):
        return [SessionEventOut(kind=e.kind, at=e.at.isoformat(), detail=e.detail)
                for e in session_timeline(db, dj, session_id)]

    return await in_db(work)


@router.get("/sessions/{session_id}/qr.svg", summary="QR code of the join link (public)", response_class=Response)
async def session_qr(session_id: SessionId) -> Response:
    session = await in_db(lambda db: session_service.get_session(db, session_id))
    return Response(qr_svg(routes.join_url(session.id)), media_type="image/svg+xml",
                    headers={"Cache-Control": "public, max-age=3600"})

