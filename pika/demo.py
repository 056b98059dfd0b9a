"""Demo mode: a demo DJ and a simulated set, so a newcomer sees a live session at once."""

from __future__ import annotations

import asyncio
import itertools
import logging
import uuid

from sqlmodel import select
from starlette.concurrency import run_in_threadpool

from pika.db import session_scope
from pika.db_types import utcnow
from pika.models import DJ, LiveSession, SessionStatus
from pika.realtime.hub import RoomHub
from pika.services import accounts, plays, sessions
from pika.services.rooms import room_snapshot

log = logging.getLogger(__name__)

DEMO_EMAIL = "demo@pika.invalid"
DEMO_SLUG = "demo-dj"
# Invented tracks in the tempo range of a West Coast Swing night.
SET_LIST = [
    ("Nova Lane", "Slow Burn Sunday", None, 92.0, "Am"),
    ("The Velvet Hours", "Push & Pull", None, 98.5, "Em"),
    ("Marisol Reyes", "Anchor Step", "Acoustic", 88.0, "C"),
    ("Kid Compass", "Sugar Push Theory", None, 102.0, "Gm"),
    ("Lowtide Collective", "Whip It Slow", "Extended Mix", 95.0, "8A"),
    ("Ada Lux", "Connection", None, 90.0, "F#m"),
    ("Blue Hour Radio", "Left Side Pass", None, 104.0, "Dm"),
    ("Jonah & The Figs", "Slot Machine", "Remix", 99.0, "Bb"),
]


def _ensure_session() -> str:
    with session_scope() as db:
        dj = db.exec(select(DJ).where(DJ.slug == DEMO_SLUG)).first()
        if dj is None:
            dj = accounts.create_dj(db, email=DEMO_EMAIL, display_name_="DJ Pika (demo)", slug=DEMO_SLUG)
        live = db.exec(
            select(LiveSession).where(LiveSession.dj_id == dj.id, LiveSession.status != SessionStatus.ENDED)
        ).first()
        session = live or sessions.open_session(db, dj, title="Demo social — Friday night swing")
        return session.id


def _play_next(session_id: str, track: tuple) -> dict:
    artist, title, version, bpm, key = track
    with session_scope() as db:
        session = db.get(LiveSession, session_id)
        if session.status == SessionStatus.ENDED:
            session = sessions.open_session(db, db.get(DJ, session.dj_id), title=session.title)
        plays.record_plays(db, session, [plays.PlayIn(
            play_id=str(uuid.uuid4()), artist=artist, title=title, version=version, bpm=bpm, key=key,
            played_at=utcnow(), source="demo",
        )])
        return room_snapshot(db, session)


async def run_demo(hub: RoomHub, track_seconds: float) -> None:
    session_id = await run_in_threadpool(_ensure_session)
    log.info("demo session live at /live/%s", session_id)
    for track in itertools.cycle(SET_LIST):
        snapshot = await run_in_threadpool(_play_next, session_id, track)
        session_id = snapshot["session_id"]
        await hub.publish(snapshot)
        await asyncio.sleep(track_seconds)
