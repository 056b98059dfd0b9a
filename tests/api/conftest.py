from __future__ import annotations

from dataclasses import dataclass, field

import httpx
import pytest

from pika.api.app import create_api
from pika.db import session_scope
from pika.services import accounts
from tests.support.hub import hub_bound_to


@dataclass
class RecordingNamespace:
    """Stands in for the socket server: records which room each update went to."""

    namespace: str = "/_event"
    emitted: list[tuple[str, dict]] = field(default_factory=list)

    async def emit(self, event, payload, room=None, **_):
        self.emitted.append((room, payload))

    def rooms(self) -> list[str]:
        return [room for room, _ in self.emitted]


@dataclass
class FakeApp:
    event_namespace: RecordingNamespace


class _State:
    @staticmethod
    def get_full_name() -> str:
        return "reflex___state____state.dancer_room_state"


@pytest.fixture
def sockets(store) -> RecordingNamespace:
    namespace = RecordingNamespace()
    with hub_bound_to(FakeApp(namespace), _State, store):
        yield namespace


@dataclass
class DJFixture:
    id: int
    token: str
    headers: dict


def make_dj(engine, slug: str) -> DJFixture:
    with session_scope(engine) as db:
        dj = accounts.create_dj(db, email=f"{slug}@example.com", display_name_=slug.title(), slug=slug)
        _, raw = accounts.issue_token(db, dj, label="laptop")
        return DJFixture(dj.id, raw, {"Authorization": f"Bearer {raw}"})


@pytest.fixture
def dj(engine) -> DJFixture:
    return make_dj(engine, "nova")


@pytest.fixture
def other_dj(engine) -> DJFixture:
    return make_dj(engine, "lowtide")


@pytest.fixture
async def client(engine, sockets):
    transport = httpx.ASGITransport(app=create_api())
    async with httpx.AsyncClient(transport=transport, base_url="http://pika.test") as c:
        yield c
