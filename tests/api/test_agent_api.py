"""The agent API as the DJ's agent meets it: auth, ownership, idempotency, ordering, bounds."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError
from sqlmodel import select

from pika.db import session_scope
from pika.models import Play, SessionEvent
from pika.services import accounts
from tests.support.rooms import shown_history

NOW = datetime.now(UTC)


def play(title="Slow Burn", artist="Nova Lane", at=None, **extra) -> dict:
    body = {"play_id": str(uuid.uuid4()), "artist": artist, "title": title,
            "played_at": (at or datetime.now(UTC)).isoformat(), "source": "virtualdj"}
    body.update(extra)
    return body


async def open_session(client, dj, title="Friday social") -> str:
    r = await client.post("/api/v1/sessions", json={"title": title}, headers=dj.headers)
    assert r.status_code == 201, r.text
    return r.json()["id"]


def assert_error(r, status: int, error: str | None = None):
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error", "detail"} and body["detail"]
    if error:
        assert body["error"] == error


# -- identity -----------------------------------------------------------------------------------
async def test_me_answers_who_the_token_belongs_to(client, dj):
    r = await client.get("/api/v1/me", headers=dj.headers)
    assert r.status_code == 200
    assert r.json()["slug"] == "nova"


@pytest.mark.parametrize("header", [None, "Bearer", "Basic abc", "Bearer pk_dj_" + "x" * 43, "Bearer nonsense"])
async def test_missing_or_wrong_tokens_get_401_with_a_message(client, dj, header):
    headers = {"Authorization": header} if header else {}
    r = await client.get("/api/v1/me", headers=headers)
    assert_error(r, 401, "unauthorized")


async def test_a_revoked_token_gets_401_everywhere(client, dj, engine):
    session_id = await open_session(client, dj)
    with session_scope(engine) as db:
        owner = accounts.find_dj(db, "nova")
        accounts.revoke_token(db, owner, accounts.list_tokens(db, owner)[0].id)
    for method, path, body in [
        ("GET", "/api/v1/me", None),
        ("POST", "/api/v1/sessions", {"title": "x"}),
        ("POST", f"/api/v1/sessions/{session_id}/plays", play()),
        ("POST", f"/api/v1/sessions/{session_id}/heartbeat", None),
        ("POST", f"/api/v1/sessions/{session_id}/end", None),
    ]:
        r = await client.request(method, path, json=body, headers=dj.headers)
        assert_error(r, 401, "unauthorized")
        assert "revoked" in r.json()["detail"]


# -- ownership ----------------------------------------------------------------------------------
async def test_another_djs_session_cannot_be_driven(client, dj, other_dj, sockets):
    session_id = await open_session(client, dj)
    sockets.emitted.clear()
    for path, body in [
        (f"/api/v1/sessions/{session_id}/plays", play()),
        (f"/api/v1/sessions/{session_id}/plays/batch", {"plays": [play()]}),
        (f"/api/v1/sessions/{session_id}/heartbeat", None),
        (f"/api/v1/sessions/{session_id}/end", None),
    ]:
        assert_error(await client.post(path, json=body, headers=other_dj.headers), 403, "forbidden")
    assert_error(await client.get(f"/api/v1/sessions/{session_id}", headers=other_dj.headers), 403)
    # Nothing reached the room and the session is still live and empty.
    assert sockets.emitted == []
    r = await client.get(f"/api/v1/sessions/{session_id}", headers=dj.headers)
    assert r.json()["status"] == "live"


async def test_unknown_sessions_are_404(client, dj):
    for path in ("/api/v1/sessions/zzzzzzzzzzzz/plays", "/api/v1/sessions/not-an-id/plays"):
        assert_error(await client.post(path, json=play(), headers=dj.headers), 404, "not_found")
    assert_error(await client.get("/api/v1/sessions/zzzzzzzzzzzz/qr.svg"), 404)
    assert_error(await client.get("/api/v1/nothing-here", headers=dj.headers), 404)


# -- sessions -----------------------------------------------------------------------------------
async def test_open_session_returns_join_and_qr_links(client, dj):
    r = await client.post("/api/v1/sessions", json={"title": "Friday social"}, headers=dj.headers)
    body = r.json()
    assert r.status_code == 201
    assert body["status"] == "live"
    assert body["join_url"].endswith(f"/live/{body['id']}")
    assert body["qr_url"].endswith(f"/live/{body['id']}/qr")
    qr = await client.get(f"/api/v1/sessions/{body['id']}/qr.svg")
    assert qr.status_code == 200 and qr.headers["content-type"] == "image/svg+xml"
    assert b"<svg" in qr.content


async def test_end_writes_ended_at_and_refuses_later_plays(client, dj, engine):
    session_id = await open_session(client, dj)
    r = await client.post(f"/api/v1/sessions/{session_id}/end", headers=dj.headers)
    assert r.status_code == 200
    assert r.json()["status"] == "ended" and r.json()["ended_at"]
    assert_error(await client.post(f"/api/v1/sessions/{session_id}/plays", json=play(), headers=dj.headers), 422)
    with session_scope(engine) as db:
        kinds = [e.kind for e in db.exec(select(SessionEvent).where(SessionEvent.session_id == session_id))]
    assert kinds == ["opened", "ended"]


async def test_heartbeat_answers_status(client, dj):
    session_id = await open_session(client, dj)
    r = await client.post(f"/api/v1/sessions/{session_id}/heartbeat", headers=dj.headers)
    assert r.status_code == 200 and r.json()["status"] == "live"


# -- plays --------------------------------------------------------------------------------------
async def test_a_play_becomes_now_playing_in_its_own_room_only(client, dj, sockets):
    a = await open_session(client, dj, "A")
    b = await open_session(client, dj, "B")
    sockets.emitted.clear()
    body = play("Anchor Step", "Marisol Reyes", version="Acoustic", bpm=88.4, key="C")
    r = await client.post(f"/api/v1/sessions/{a}/plays", json=body, headers=dj.headers)
    assert r.status_code == 200, r.text
    result = r.json()
    assert result["now_playing_play_id"] == body["play_id"]
    assert result["results"] == [{"play_id": body["play_id"], "status": "created", "now_playing": True,
                                  "unknown_fields": [], "detail": None}]
    assert sockets.rooms() == [f"session:{a}"]
    delta = next(iter(sockets.emitted[0][1]["delta"].values()))
    assert delta["now_playing_rx_state_"]["title"] == "Anchor Step"
    assert delta["now_playing_rx_state_"]["bpm"] == "88"
    assert f"session:{b}" not in sockets.rooms()


async def test_sending_the_same_play_twice_changes_nothing(client, dj, engine, sockets):
    session_id = await open_session(client, dj)
    body = play()
    first = await client.post(f"/api/v1/sessions/{session_id}/plays", json=body, headers=dj.headers)
    sockets.emitted.clear()
    again = await client.post(f"/api/v1/sessions/{session_id}/plays", json=body, headers=dj.headers)
    assert first.json()["results"][0]["status"] == "created"
    assert again.json()["results"][0]["status"] == "duplicate"
    assert sockets.emitted == []  # nothing new for the floor
    with session_scope(engine) as db:
        assert len(db.exec(select(Play)).all()) == 1


async def test_a_play_stored_while_redis_was_away_reaches_the_floor_when_the_agent_sends_it_again(
        client, dj, engine, sockets, store, monkeypatch):
    session_id = await open_session(client, dj)
    body = play("Left In The Dark")
    working = store.replace

    async def redis_restarting(*_args, **_kwargs):
        raise RedisConnectionError("Error 111 connecting to localhost:6379. Connection refused.")

    monkeypatch.setattr(store, "replace", redis_restarting)
    first = await client.post(f"/api/v1/sessions/{session_id}/plays", json=body, headers=dj.headers)
    assert first.status_code == 503 and first.headers["Retry-After"] == "2"
    assert first.json() == {"error": "unavailable",
                            "detail": "The live room is briefly unavailable; try again in a moment."}
    with session_scope(engine) as db:  # the play itself was kept
        assert [p.id for p in db.exec(select(Play)).all()] == [body["play_id"]]

    monkeypatch.setattr(store, "replace", working)  # Redis is back; the agent retries
    sockets.emitted.clear()
    again = await client.post(f"/api/v1/sessions/{session_id}/plays", json=body, headers=dj.headers)
    assert again.status_code == 200 and again.json()["results"][0]["status"] == "duplicate"
    delta = next(iter(sockets.emitted[-1][1]["delta"].values()))
    assert delta["now_playing_rx_state_"]["title"] == "Left In The Dark"

    sockets.emitted.clear()  # once the floor has it, a further retry sends nothing
    await client.post(f"/api/v1/sessions/{session_id}/plays", json=body, headers=dj.headers)
    assert sockets.emitted == []


async def test_an_older_play_goes_into_history_without_flipping_now_playing(client, dj, store):
    session_id = await open_session(client, dj)
    now = datetime.now(UTC)
    current = play("Current", at=now)
    older = play("Played while offline", at=now - timedelta(minutes=7))
    await client.post(f"/api/v1/sessions/{session_id}/plays", json=current, headers=dj.headers)
    r = await client.post(f"/api/v1/sessions/{session_id}/plays", json=older, headers=dj.headers)
    assert r.json()["results"][0] == {"play_id": older["play_id"], "status": "created", "now_playing": False,
                                      "unknown_fields": [], "detail": None}
    assert r.json()["now_playing_play_id"] == current["play_id"]
    room = await store.get(session_id)
    assert room["now_playing"]["title"] == "Current"
    assert [p["full_title"] for p in shown_history(room)] == ["Played while offline"]


async def test_played_at_from_the_agent_is_kept(client, dj, engine):
    session_id = await open_session(client, dj)
    started = datetime.now(UTC) - timedelta(minutes=3)
    body = play(at=started)
    await client.post(f"/api/v1/sessions/{session_id}/plays", json=body, headers=dj.headers)
    with session_scope(engine) as db:
        stored = db.get(Play, body["play_id"])
    assert stored.played_at == started
    assert stored.received_at > started


async def test_out_of_range_metrics_are_stored_as_unknown_not_rejected(client, dj, engine):
    session_id = await open_session(client, dj)
    body = play(bpm=0, energy=250, key="??")
    r = await client.post(f"/api/v1/sessions/{session_id}/plays", json=body, headers=dj.headers)
    assert r.status_code == 200
    assert r.json()["results"][0]["status"] == "created"
    assert r.json()["results"][0]["unknown_fields"] == ["bpm", "key", "energy"]
    with session_scope(engine) as db:
        stored = db.get(Play, body["play_id"])
    assert (stored.bpm, stored.energy, stored.musical_key) == (None, None, None)


async def test_a_batch_of_100_plays_is_stored_in_order(client, dj, store, engine):
    session_id = await open_session(client, dj)
    start = datetime.now(UTC) - timedelta(hours=2)
    plays = [play(f"Track {i:03}", at=start + timedelta(minutes=i)) for i in range(100)]
    shuffled = plays[50:] + plays[:50]
    r = await client.post(f"/api/v1/sessions/{session_id}/plays/batch", json={"plays": shuffled}, headers=dj.headers)
    assert r.status_code == 200, r.text
    assert [x["status"] for x in r.json()["results"]] == ["created"] * 100
    assert r.json()["now_playing_play_id"] == plays[-1]["play_id"]
    room = await store.get(session_id)
    assert room["now_playing"]["title"] == "Track 099"
    assert shown_history(room)[0]["full_title"] == "Track 098"
    # Replaying the same batch (agent retry) creates nothing.
    again = await client.post(f"/api/v1/sessions/{session_id}/plays/batch", json={"plays": plays}, headers=dj.headers)
    assert {x["status"] for x in again.json()["results"]} == {"duplicate"}
    with session_scope(engine) as db:
        assert len(db.exec(select(Play)).all()) == 100


async def test_a_play_id_from_another_session_is_rejected_not_moved(client, dj, engine):
    a = await open_session(client, dj, "A")
    b = await open_session(client, dj, "B")
    body = play()
    await client.post(f"/api/v1/sessions/{a}/plays", json=body, headers=dj.headers)
    r = await client.post(f"/api/v1/sessions/{b}/plays", json=body, headers=dj.headers)
    assert r.json()["results"][0]["status"] == "rejected"
    with session_scope(engine) as db:
        assert db.get(Play, body["play_id"]).session_id == a


# -- bad input ----------------------------------------------------------------------------------
async def test_malformed_json_is_a_clear_400(client, dj):
    session_id = await open_session(client, dj)
    r = await client.post(f"/api/v1/sessions/{session_id}/plays", content=b'{"artist": "x",',
                          headers={**dj.headers, "Content-Type": "application/json"})
    assert_error(r, 400, "malformed_json")


@pytest.mark.parametrize(
    ("change", "field_name"),
    [
        ({"artist": "x" * 201}, "artist"),
        ({"title": ""}, "title"),
        ({"version": "v" * 201}, "version"),
        ({"play_id": "not-a-uuid"}, "play_id"),
        ({"played_at": "2026-05-31T22:00:00"}, "played_at"),  # no timezone
        ({"bpm": "fast"}, "bpm"),
        ({"source": "s" * 33}, "source"),
        ({"unexpected": 1}, "unexpected"),
    ],
)
async def test_invalid_fields_get_422_naming_the_field(client, dj, change, field_name, engine):
    session_id = await open_session(client, dj)
    r = await client.post(f"/api/v1/sessions/{session_id}/plays", json=play(**change), headers=dj.headers)
    assert_error(r, 422, "invalid")
    assert field_name in r.json()["detail"]
    with session_scope(engine) as db:
        assert db.exec(select(Play)).all() == []


async def test_a_play_from_the_future_is_refused_and_nothing_changes(client, dj, store):
    session_id = await open_session(client, dj)
    ok = play("Real")
    await client.post(f"/api/v1/sessions/{session_id}/plays", json=ok, headers=dj.headers)
    future = play("From the future", at=datetime.now(UTC) + timedelta(hours=1))
    r = await client.post(f"/api/v1/sessions/{session_id}/plays", json=future, headers=dj.headers)
    assert r.json()["results"][0]["status"] == "rejected"
    assert "future" in r.json()["results"][0]["detail"]
    assert (await store.get(session_id))["now_playing"]["title"] == "Real"


async def test_oversize_bodies_are_refused_with_413(client, dj):
    session_id = await open_session(client, dj)
    huge = {"plays": [play(title="t" * 300, artist="a" * 200) for _ in range(600)]}
    r = await client.post(f"/api/v1/sessions/{session_id}/plays/batch", json=huge, headers=dj.headers)
    assert_error(r, 413, "payload_too_large")


async def test_batches_are_bounded(client, dj):
    session_id = await open_session(client, dj)
    r = await client.post(f"/api/v1/sessions/{session_id}/plays/batch", json={"plays": []}, headers=dj.headers)
    assert_error(r, 422)


async def test_the_openapi_document_describes_the_agent_api(client):
    r = await client.get("/api/v1/openapi.json")
    paths = r.json()["paths"]
    assert "/api/v1/sessions/{session_id}/plays" in paths
    assert "/api/v1/me" in paths


async def test_a_session_can_require_a_pin_which_is_stored_hashed(client, dj, engine):
    r = await client.post("/api/v1/sessions", json={"title": "Private party", "pin": "4821"}, headers=dj.headers)
    assert r.status_code == 201 and r.json()["has_pin"] is True
    from pika.models import LiveSession

    with session_scope(engine) as db:
        stored = db.get(LiveSession, r.json()["id"]).pin_hash
    assert "4821" not in stored and stored.startswith("pbkdf2_sha256$")


@pytest.mark.parametrize("pin", ["12", "123456789", "12ab", ""])
async def test_bad_pins_are_refused(client, dj, pin):
    r = await client.post("/api/v1/sessions", json={"title": "x", "pin": pin}, headers=dj.headers)
    assert_error(r, 422)
