"""PikaClient's floor calls (polls, announcements, crowd feed) against the real agent API."""

from __future__ import annotations

import asyncio

import pytest

from agent.core.client import ApiError, Offline, PikaClient
from agent.core.crowd import Crowd, follow
from pika.db import session_scope
from pika.models import LiveSession
from pika.services import interactions


async def test_polls_announcements_and_the_crowd_feed(floor):
    client = PikaClient(floor.url, floor.token, timeout=5)
    session = await client.open_session("Floor calls")
    poll = await client.open_poll(session.id, preset="tempo", duration_s=60)
    assert poll["open"] and poll["options"] == ["Slower", "Same", "Faster"] and poll["closes_at"]
    custom = await client.open_poll(session.id, question="Next?", options=["Blues", "Pop"])
    assert custom["closes_at"] == ""  # open until closed; it replaced the preset poll
    closed = await client.close_poll(session.id, custom["id"])
    assert closed["open"] is False and closed["winners"] == []

    item = await client.announce(session.id, "Water at the bar", duration_s=300)
    assert item["message"] == "Water at the bar" and item["expires_at"]
    assert (await client.cancel_announcement(session.id, item["id"]))["id"] == item["id"]

    first = Crowd.parse(await client.crowd(session.id))
    with session_scope(floor.engine) as db:
        interactions.thank(db, db.get(LiveSession, session.id), "dancer-1")
    later = Crowd.parse(await client.crowd(session.id, since=first.cursor))
    assert (later.thanks_since, later.thanks_total) == (1, 1)
    assert Crowd.parse(await client.crowd(session.id, since=later.cursor)).thanks_since == 0
    await client.close()


async def test_refusals_carry_the_servers_sentence(floor):
    client = PikaClient(floor.url, floor.token, timeout=5)
    session = await client.open_session()
    with pytest.raises(ApiError) as err:
        await client.open_poll(session.id, question="Only one?", options=["Yes"])
    assert err.value.status == 422 and "options" in err.value.detail
    with pytest.raises(ApiError) as err:
        await client.announce(session.id, "x" * 500)
    assert err.value.status == 422
    with pytest.raises(ApiError) as err:
        await client.crowd("nosuchsession")
    assert err.value.status == 404
    await client.close()


async def test_follow_reports_the_floor_until_cancelled_and_offline_is_not_fatal(floor):
    client = PikaClient(floor.url, floor.token, timeout=5)
    session = await client.open_session()
    seen: list[Crowd] = []
    task = asyncio.create_task(follow(client, session.id, seen.append, every_s=0.05))
    while len(seen) < 3:
        await asyncio.sleep(0.05)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    assert all(c.status == "live" for c in seen) and seen[-1].cursor
    await client.close()

    problems: list[Exception] = []
    nowhere = PikaClient("http://127.0.0.1:9", floor.token, timeout=1)
    task = asyncio.create_task(follow(nowhere, session.id, seen.append, problems.append, every_s=0.01))
    while len(problems) < 2:
        await asyncio.sleep(0.05)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    assert all(isinstance(p, Offline) for p in problems)
    await nowhere.close()
