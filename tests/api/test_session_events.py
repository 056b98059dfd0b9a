"""GET /sessions/{id}/events: the DJ reads the agent's connection history of a set of theirs."""

from __future__ import annotations

from datetime import timedelta

from pika.db import session_scope
from pika.db_types import utcnow
from pika.models import LiveSession
from pika.services import sessions
from tests.api.test_agent_api import assert_error, open_session


async def test_the_owner_reads_the_timeline_oldest_first(client, dj, engine):
    session_id = await open_session(client, dj)
    with session_scope(engine) as db:  # the agent went quiet for three minutes
        db.get(LiveSession, session_id).last_heartbeat_at = utcnow() - timedelta(minutes=3)
    with session_scope(engine) as db:
        sessions.sweep(db, reconnecting_after=timedelta(minutes=2), idle_end_after=timedelta(hours=6))
    r = await client.post(f"/api/v1/sessions/{session_id}/heartbeat", headers=dj.headers)
    assert r.json()["status"] == "live"
    await client.post(f"/api/v1/sessions/{session_id}/end", headers=dj.headers)

    r = await client.get(f"/api/v1/sessions/{session_id}/events", headers=dj.headers)
    assert r.status_code == 200, r.text
    events = r.json()
    assert [(e["kind"], e["detail"]) for e in events] == [
        ("opened", ""), ("disconnected", "no heartbeat"), ("reconnected", ""), ("ended", "ended by the DJ"),
    ]
    assert all(set(e) == {"kind", "at", "detail"} for e in events)
    assert [e["at"] for e in events] == sorted(e["at"] for e in events)
    assert events[0]["at"].endswith("+00:00")


async def test_another_djs_timeline_is_403_and_unknown_is_404(client, dj, other_dj):
    session_id = await open_session(client, dj)
    assert_error(await client.get(f"/api/v1/sessions/{session_id}/events", headers=other_dj.headers), 403, "forbidden")
    assert_error(await client.get("/api/v1/sessions/zzzzzzzzzzzz/events", headers=dj.headers), 404, "not_found")
    assert_error(await client.get(f"/api/v1/sessions/{session_id}/events"), 401, "unauthorized")
