"""The server side of agent tests: the real agent API on SQLite, one DJ, and ways to look inside."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlmodel import select

from pika.db import make_engine, migrate, session_scope
from pika.models import DJ, Announcement, LiveSession, Play, Track
from pika.services import accounts
from tests.support.api_server import ApiServer, api_server


@dataclass
class Floor:
    server: ApiServer
    engine: object
    token: str
    slug: str

    @property
    def url(self) -> str:
        return self.server.url

    def api(self, method: str, path: str, **kwargs) -> httpx.Response:
        return httpx.request(method, f"{self.url}/api/v1{path}", headers={"Authorization": f"Bearer {self.token}"},
                             timeout=10, **kwargs)

    def sessions(self) -> list[LiveSession]:
        """This DJ's sessions on the server, oldest first."""
        with session_scope(self.engine) as db:
            rows = db.exec(select(LiveSession).join(DJ, DJ.id == LiveSession.dj_id)
                           .where(DJ.slug == self.slug).order_by(LiveSession.started_at)).all()
            db.expunge_all()
            return list(rows)

    def plays(self, session_id: str) -> list[tuple[str, str, str]]:
        """(play id, artist, title) stored for a session, by played_at."""
        with session_scope(self.engine) as db:
            rows = db.exec(select(Play.id, Track.artist, Track.title).join(Track, Track.id == Play.track_id)
                           .where(Play.session_id == session_id).order_by(Play.played_at)).all()
            return [tuple(row) for row in rows]

    def announcements(self, session_id: str) -> list[Announcement]:
        with session_scope(self.engine) as db:
            rows = db.exec(select(Announcement).where(Announcement.session_id == session_id)
                           .order_by(Announcement.id)).all()
            db.expunge_all()
            return list(rows)


def new_dj(engine) -> tuple[str, str]:
    """A fresh DJ and a raw token: (token, slug)."""
    slug = f"dj-{uuid.uuid4().hex[:8]}"
    with session_scope(engine) as db:
        dj = accounts.create_dj(db, email=f"{slug}@example.com", display_name_=slug.title(), slug=slug)
        _, token = accounts.issue_token(db, dj)
    return token, slug


def start_server(folder: Path) -> tuple[ApiServer, object]:
    url = f"sqlite:///{folder / 'server.db'}"
    engine = make_engine(url)
    migrate(engine)
    return api_server(url, folder / "api.log").start(), engine
