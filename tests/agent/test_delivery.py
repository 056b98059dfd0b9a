"""Plays survive a server outage and an agent restart: queued on disk, replayed in order, once."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import col, select

from agent.core.client import ApiError, PikaClient
from agent.core.outbox import Outbox
from agent.core.sender import Sender
from pika.db import make_engine, migrate, session_scope
from pika.models import Play
from pika.services import accounts
from tests.support.api_server import api_server


@pytest.fixture
def server(tmp_path):
    url = f"sqlite:///{tmp_path / 'server.db'}"
    engine = make_engine(url)
    migrate(engine)
    with session_scope(engine) as db:
        dj = accounts.create_dj(db, email="nova@example.com", display_name_="Nova", slug="nova")
        _, token = accounts.issue_token(db, dj)
    srv = api_server(url, tmp_path / "api.log").start()
    srv.token = token
    srv.engine = engine
    yield srv
    srv.stop()
    engine.dispose()


def play(title: str, at: datetime) -> dict:
    return {"play_id": str(uuid.uuid4()), "artist": "Nova Lane", "title": title, "played_at": at.isoformat(),
            "source": "virtualdj", "bpm": 96.0}


def stored(server) -> list[tuple[str, datetime]]:
    with session_scope(server.engine) as db:
        return [(p.id, p.played_at) for p in db.exec(select(Play).order_by(col(Play.played_at)))]


async def wait_until(predicate, timeout: float = 20.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.1)


async def test_outage_queue_and_replay_in_order_with_original_times(server, tmp_path):
    client = PikaClient(server.url, server.token, timeout=2)
    session = await client.open_session("Outage night")
    outbox = Outbox(tmp_path / "outbox.db")
    sender = Sender(client, outbox, session.id)
    task = asyncio.create_task(sender.run(heartbeat_every=1))
    start = datetime.now(UTC) - timedelta(minutes=30)
    sent = [play(f"Before {i}", start + timedelta(minutes=i)) for i in range(2)]
    for body in sent:
        outbox.add(session.id, body)
    sender.wake()
    await wait_until(lambda: len(stored(server)) == 2)

    server.stop()  # the venue Wi-Fi drops
    during = [play(f"During {i}", start + timedelta(minutes=10 + i)) for i in range(3)]
    for body in during:
        outbox.add(session.id, body)
        sender.wake()
    await asyncio.sleep(1.5)
    assert sender.failures >= 1 and outbox.count(session.id) == 3

    # The agent itself restarts during the outage: the queue is on disk.
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    outbox.close()
    outbox = Outbox(tmp_path / "outbox.db")
    assert outbox.count(session.id) == 3

    server.start()  # back online
    sender = Sender(client, outbox, session.id)
    task = asyncio.create_task(sender.run(heartbeat_every=1))
    await wait_until(lambda: outbox.count(session.id) == 0)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)

    rows = stored(server)
    expected = sent + during
    assert [r[0] for r in rows] == [p["play_id"] for p in expected]  # each once, in order
    assert [r[1] for r in rows] == [datetime.fromisoformat(p["played_at"]) for p in expected]
    await client.close()
    outbox.close()


async def test_a_play_the_server_refuses_is_kept_with_the_reason(server, tmp_path):
    client = PikaClient(server.url, server.token, timeout=2)
    session = await client.open_session()
    outbox = Outbox(tmp_path / "outbox.db")
    good = play("Fine", datetime.now(UTC))
    future = play("Clock wrong", datetime.now(UTC) + timedelta(hours=2))
    outbox.add(session.id, good)
    outbox.add(session.id, future)
    await Sender(client, outbox, session.id).flush()
    assert outbox.count(session.id) == 0
    (rejected,) = outbox.rejected(session.id)
    assert rejected.play_id == future["play_id"] and "future" in rejected.detail
    assert [r[0] for r in stored(server)] == [good["play_id"]]
    await client.close()


async def test_overlong_tags_are_trimmed_to_the_servers_bounds_not_refused(server, tmp_path):
    client = PikaClient(server.url, server.token, timeout=2)
    session = await client.open_session()
    outbox = Outbox(tmp_path / "outbox.db")
    body = play("T" * 1000, datetime.now(UTC))
    body["artist"] = ""
    outbox.add(session.id, body)
    await Sender(client, outbox, session.id).flush()
    assert outbox.count(session.id) == 0 and outbox.rejected(session.id) == []
    await client.close()


async def test_a_revoked_token_is_reported_plainly(server, tmp_path):
    client = PikaClient(server.url, "pk_dj_" + "x" * 43, timeout=2)
    with pytest.raises(ApiError) as err:
        await client.me()
    assert err.value.is_auth and "revoked" in err.value.detail
    await client.close()
