"""Nobody but the owner's live token can drive or read a session — and a refused request changes nothing.

test_agent_api.py / test_floor_api.py check the status codes of the common cases; here every
session endpoint is tried with another DJ's token, no token and a revoked token, and the whole
database is compared before and after. Session ids are chosen by the server only (§7: the original
product let a client re-register a known session id and take it over).
"""

from __future__ import annotations

import pytest
from sqlmodel import select

from pika.db import session_scope
from pika.models import Announcement, LiveSession, Play, Poll, PollVote, SessionEvent, Track
from pika.services import accounts
from tests.api.test_agent_api import assert_error, open_session, play

_TABLES = (LiveSession, Play, Track, Poll, PollVote, Announcement, SessionEvent)


def database(engine) -> dict[str, list[dict]]:
    """Every row a session endpoint could write (tokens are left out: a lookup stamps last_used_at)."""
    with session_scope(engine) as db:
        return {table.__name__: sorted((row.model_dump() for row in db.exec(select(table))), key=repr)
                for table in _TABLES}


@pytest.fixture
async def driven(client, dj) -> dict:
    """The first DJ's session with a play, an open poll and an active announcement."""
    session_id = await open_session(client, dj)
    assert (await client.post(f"/api/v1/sessions/{session_id}/plays", json=play(), headers=dj.headers)).status_code == 200
    poll = await client.post(f"/api/v1/sessions/{session_id}/polls", json={"preset": "vibe"}, headers=dj.headers)
    note = await client.post(f"/api/v1/sessions/{session_id}/announcements", json={"message": "Water at the bar"},
                             headers=dj.headers)
    return {"session_id": session_id, "poll_id": poll.json()["id"], "announcement_id": note.json()["id"]}


def every_session_endpoint(s: dict) -> list[tuple[str, str, dict | None]]:
    base = f"/api/v1/sessions/{s['session_id']}"
    return [
        ("GET", base, None),
        ("POST", f"{base}/plays", play("Hijacked")),
        ("POST", f"{base}/plays/batch", {"plays": [play("Hijacked 1"), play("Hijacked 2")]}),
        ("POST", f"{base}/heartbeat", None),
        ("POST", f"{base}/polls", {"question": "Whose set?", "options": ["Mine", "Yours"]}),
        ("POST", f"{base}/polls/{s['poll_id']}/close", None),
        ("POST", f"{base}/announcements", {"message": "Taken over"}),
        ("POST", f"{base}/announcements/{s['announcement_id']}/cancel", None),
        ("GET", f"{base}/crowd", None),
        ("GET", f"{base}/events", None),
        ("POST", f"{base}/end", None),  # last: if it got through, everything after it would 422
    ]


async def test_another_djs_token_gets_403_everywhere_and_changes_nothing(client, dj, other_dj, engine, sockets, driven):
    before = database(engine)
    sockets.emitted.clear()
    for method, path, body in every_session_endpoint(driven):
        r = await client.request(method, path, json=body, headers=other_dj.headers)
        assert_error(r, 403, "forbidden")
        assert "another DJ" in r.json()["detail"]
    assert database(engine) == before
    assert sockets.emitted == []  # and no dancer saw anything


@pytest.mark.parametrize("header", [None, "Bearer pk_dj_" + "A" * 43, "Token abc", "Bearer "])
async def test_without_a_valid_token_nothing_is_written_or_read(client, dj, engine, sockets, driven, header):
    before = database(engine)
    sockets.emitted.clear()
    headers = {"Authorization": header} if header is not None else {}
    for method, path, body in [*every_session_endpoint(driven), ("POST", "/api/v1/sessions", {"title": "Anonymous"})]:
        assert_error(await client.request(method, path, json=body, headers=headers), 401, "unauthorized")
    assert database(engine) == before
    assert sockets.emitted == []


async def test_a_revoked_token_can_no_longer_write_anything(client, dj, engine, sockets, driven):
    with session_scope(engine) as db:
        owner = accounts.find_dj(db, "nova")
        accounts.revoke_token(db, owner, accounts.list_tokens(db, owner)[0].id)
    before = database(engine)
    sockets.emitted.clear()
    for method, path, body in [*every_session_endpoint(driven), ("POST", "/api/v1/sessions", {"title": "Again"})]:
        r = await client.request(method, path, json=body, headers=dj.headers)
        assert_error(r, 401, "unauthorized")
    assert database(engine) == before
    assert sockets.emitted == []


@pytest.mark.parametrize("field", ["id", "session_id", "dj_id", "owner"])
async def test_a_client_cannot_choose_the_session_id_or_owner(client, dj, other_dj, engine, driven, field):
    known = driven["session_id"]
    before = database(engine)
    value = known if field in ("id", "session_id") else dj.id
    r = await client.post("/api/v1/sessions", json={"title": "Mine now", field: value}, headers=other_dj.headers)
    assert_error(r, 422, "invalid")
    assert database(engine) == before


async def test_re_registering_a_known_session_id_is_impossible(client, dj, other_dj, engine, driven):
    known = driven["session_id"]
    before = database(engine)
    # No endpoint creates or replaces a session under a given id, with any verb.
    for method in ("POST", "PUT", "PATCH"):
        r = await client.request(method, f"/api/v1/sessions/{known}", json={"title": "Mine now"},
                                 headers=other_dj.headers)
        assert r.status_code in (404, 405), r.text
        assert set(r.json()) == {"error", "detail"}
    assert database(engine) == before
    # A session the other DJ opens gets a fresh id of the server's choosing, and it is theirs alone.
    theirs = await open_session(client, other_dj, "Mine now")
    assert theirs != known
    with session_scope(engine) as db:
        assert db.get(LiveSession, known).dj_id == dj.id
        assert db.get(LiveSession, theirs).dj_id == other_dj.id
    assert (await client.get(f"/api/v1/sessions/{known}", headers=dj.headers)).json()["title"] == "Friday social"
