"""Polls, announcements and the crowd feed through the agent API, including bad input and hijacks."""

from __future__ import annotations

import asyncio

import pytest

from pika.db import session_scope
from pika.services import interactions, polls, sessions
from tests.api.test_agent_api import assert_error, open_session, play


async def started(client, dj) -> tuple[str, str]:
    session_id = await open_session(client, dj)
    body = play("Slow Burn Sunday")
    r = await client.post(f"/api/v1/sessions/{session_id}/plays", json=body, headers=dj.headers)
    assert r.status_code == 200
    return session_id, body["play_id"]


def dancers_act(engine, session_id: str, play_id: str, *, likes: int = 0, tempo: dict | None = None,
                thanks: int = 0, votes: dict | None = None) -> None:
    with session_scope(engine) as db:
        session = sessions.get_session(db, session_id)
        for i in range(likes):
            interactions.set_like(db, session, f"liker{i}", play_id, True)
        for dancer, choice in (tempo or {}).items():
            interactions.set_tempo(db, session, dancer, play_id, choice)
        for i in range(thanks):
            interactions.thank(db, session, f"thanker{i}")
        for dancer, (poll_id, option) in (votes or {}).items():
            polls.vote(db, session, dancer, poll_id, option)


async def test_a_preset_poll_opens_and_the_room_sees_it(client, dj, sockets, store):
    session_id, _ = await started(client, dj)
    sockets.emitted.clear()
    r = await client.post(f"/api/v1/sessions/{session_id}/polls", json={"preset": "vibe", "duration_s": 120},
                          headers=dj.headers)
    assert r.status_code == 201, r.text
    poll = r.json()
    assert poll["open"] and poll["question"].startswith("Vibe check") and len(poll["options"]) == 3
    assert poll["closes_at"]
    assert sockets.rooms() == [f"session:{session_id}"]
    assert (await store.get_counts(session_id))["poll"]["id"] == poll["id"]


async def test_opening_another_poll_closes_the_previous_one(client, dj, engine):
    session_id, _ = await started(client, dj)
    first = (await client.post(f"/api/v1/sessions/{session_id}/polls", json={"preset": "roles"}, headers=dj.headers)).json()
    second = (await client.post(f"/api/v1/sessions/{session_id}/polls",
                                json={"question": "Encore?", "options": ["Yes", "No"]}, headers=dj.headers)).json()
    with session_scope(engine) as db:
        session = sessions.get_session(db, session_id)
        assert polls.get_poll(db, session, first["id"]).closed_at is not None
        assert polls.visible_poll(db, session).id == second["id"]


async def test_closing_shows_the_winner_and_ties_as_ties(client, dj, engine):
    session_id, play_id = await started(client, dj)
    poll = (await client.post(f"/api/v1/sessions/{session_id}/polls",
                              json={"question": "Next?", "options": ["Blues", "Pop", "Funk"]}, headers=dj.headers)).json()
    dancers_act(engine, session_id, play_id, votes={"a": (poll["id"], 0), "b": (poll["id"], 1), "c": (poll["id"], 1)})
    closed = (await client.post(f"/api/v1/sessions/{session_id}/polls/{poll['id']}/close", headers=dj.headers)).json()
    assert (closed["open"], closed["counts"], closed["winners"], closed["percents"]) == (False, [1, 2, 0], [1], [33, 67, 0])
    tie = (await client.post(f"/api/v1/sessions/{session_id}/polls",
                             json={"question": "Tie?", "options": ["A", "B"]}, headers=dj.headers)).json()
    dancers_act(engine, session_id, play_id, votes={"a": (tie["id"], 0), "b": (tie["id"], 1)})
    closed = (await client.post(f"/api/v1/sessions/{session_id}/polls/{tie['id']}/close", headers=dj.headers)).json()
    assert closed["winners"] == [0, 1]
    empty = (await client.post(f"/api/v1/sessions/{session_id}/polls",
                               json={"question": "Anyone?", "options": ["A", "B"]}, headers=dj.headers)).json()
    closed = (await client.post(f"/api/v1/sessions/{session_id}/polls/{empty['id']}/close", headers=dj.headers)).json()
    assert closed["winners"] == [] and closed["total"] == 0


@pytest.mark.parametrize(
    "body",
    [
        {"preset": "nope"},
        {"question": "", "options": ["a", "b"]},
        {"question": "Q", "options": ["a"]},
        {"question": "Q", "options": ["a", "b"], "duration_s": 5},
        {"question": "Q", "options": ["a", "b"], "duration_s": 3600},
        {"question": "Q", "options": ["x" * 81, "b"]},
        {"question": "Q", "options": [str(i) for i in range(11)]},
    ],
)
async def test_bad_polls_are_refused_with_a_reason(client, dj, body):
    session_id, _ = await started(client, dj)
    r = await client.post(f"/api/v1/sessions/{session_id}/polls", json=body, headers=dj.headers)
    assert_error(r, 422)


async def test_a_vote_counts_once_and_not_after_close(engine, client, dj):
    session_id, play_id = await started(client, dj)
    poll = (await client.post(f"/api/v1/sessions/{session_id}/polls", json={"preset": "tempo"}, headers=dj.headers)).json()
    dancers_act(engine, session_id, play_id, votes={"a": (poll["id"], 2)})
    from pika.services.errors import Conflict, Invalid

    with pytest.raises(Conflict):
        dancers_act(engine, session_id, play_id, votes={"a": (poll["id"], 0)})
    await client.post(f"/api/v1/sessions/{session_id}/polls/{poll['id']}/close", headers=dj.headers)
    with pytest.raises(Invalid):
        dancers_act(engine, session_id, play_id, votes={"b": (poll["id"], 0)})


async def test_announcement_replaces_the_previous_and_can_be_cancelled(client, dj, store):
    session_id, _ = await started(client, dj)
    first = (await client.post(f"/api/v1/sessions/{session_id}/announcements",
                               json={"message": "Last dance in 10 minutes", "duration_s": 600}, headers=dj.headers)).json()
    assert first["expires_at"]
    second = (await client.post(f"/api/v1/sessions/{session_id}/announcements",
                                json={"message": "Birthday jam next!"}, headers=dj.headers)).json()
    assert (await store.get_counts(session_id))["announcement"]["message"] == "Birthday jam next!"
    crowd = (await client.get(f"/api/v1/sessions/{session_id}/crowd", headers=dj.headers)).json()
    assert crowd["announcement"]["id"] == second["id"]  # an agent restarted mid-set can still cancel it
    r = await client.post(f"/api/v1/sessions/{session_id}/announcements/{second['id']}/cancel", headers=dj.headers)
    assert r.status_code == 200
    assert (await store.get_counts(session_id))["announcement"]["message"] == ""
    crowd = (await client.get(f"/api/v1/sessions/{session_id}/crowd", headers=dj.headers)).json()
    assert crowd["announcement"] is None


@pytest.mark.parametrize("body", [{"message": ""}, {"message": "x" * 201}, {"message": "hi", "duration_s": 30},
                                  {"message": "hi", "duration_s": 7200}])
async def test_bad_announcements_are_refused(client, dj, body):
    session_id, _ = await started(client, dj)
    assert_error(await client.post(f"/api/v1/sessions/{session_id}/announcements", json=body, headers=dj.headers), 422)


async def test_the_crowd_feed_counts_what_dancers_did(client, dj, engine, store):
    session_id, play_id = await started(client, dj)
    first = (await client.get(f"/api/v1/sessions/{session_id}/crowd", headers=dj.headers)).json()
    await asyncio.sleep(0.01)
    dancers_act(engine, session_id, play_id, likes=3, thanks=2,
                tempo={"a": "faster", "b": "faster", "c": "perfect", "d": "slower"})
    await store.seen(session_id, ["a", "b", "c"])
    feed = (await client.get(f"/api/v1/sessions/{session_id}/crowd", params={"since": first["cursor"]},
                             headers=dj.headers)).json()
    assert feed["now_playing_play_id"] == play_id
    assert (feed["likes_current"], feed["likes_total"], feed["listeners"]) == (3, 3, 3)
    assert (feed["thanks_total"], feed["thanks_since"]) == (2, 2)
    assert feed["tempo"] == {"slower": 1, "perfect": 1, "faster": 2, "slower_pct": 25, "perfect_pct": 25,
                             "faster_pct": 50, "total": 4}
    again = (await client.get(f"/api/v1/sessions/{session_id}/crowd", params={"since": feed["cursor"]},
                              headers=dj.headers)).json()
    assert again["thanks_since"] == 0


async def test_tempo_votes_reset_with_each_new_play(client, dj, engine):
    session_id, play_id = await started(client, dj)
    dancers_act(engine, session_id, play_id, tempo={"a": "faster"})
    r = await client.post(f"/api/v1/sessions/{session_id}/plays", json=play("Next one"), headers=dj.headers)
    assert r.status_code == 200
    feed = (await client.get(f"/api/v1/sessions/{session_id}/crowd", headers=dj.headers)).json()
    assert feed["tempo"]["total"] == 0


async def test_another_dj_cannot_run_polls_announcements_or_read_the_crowd(client, dj, other_dj, sockets):
    session_id, _ = await started(client, dj)
    poll = (await client.post(f"/api/v1/sessions/{session_id}/polls", json={"preset": "vibe"}, headers=dj.headers)).json()
    sockets.emitted.clear()
    for method, path, body in [
        ("POST", f"/api/v1/sessions/{session_id}/polls", {"preset": "vibe"}),
        ("POST", f"/api/v1/sessions/{session_id}/polls/{poll['id']}/close", None),
        ("POST", f"/api/v1/sessions/{session_id}/announcements", {"message": "hijack"}),
        ("GET", f"/api/v1/sessions/{session_id}/crowd", None),
    ]:
        assert_error(await client.request(method, path, json=body, headers=other_dj.headers), 403, "forbidden")
    for method, path in [("POST", f"/api/v1/sessions/{session_id}/polls"),
                         ("GET", f"/api/v1/sessions/{session_id}/crowd")]:
        assert_error(await client.request(method, path, json={"preset": "vibe"}), 401)
    assert sockets.emitted == []


async def test_crowd_since_must_be_aware(client, dj):
    session_id, _ = await started(client, dj)
    r = await client.get(f"/api/v1/sessions/{session_id}/crowd", params={"since": "2026-01-01T00:00:00"},
                         headers=dj.headers)
    assert_error(r, 422)
