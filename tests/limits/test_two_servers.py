"""Each limit tripped and recovered with two servers sharing Redis, over Reflex's real socket protocol.

The windows are seconds long (conftest.OVERRIDES) and the counts are production's, so what is
checked is the sharing: a dancer's taps split across both servers still add up to one limit.
"""

from __future__ import annotations

import asyncio
import re
import time
import uuid

import pytest

from pika.realtime.connect_limit import REFUSAL_OPENING
from tests.limits.conftest import Floor, new_ip
from tests.limits.phone import Phone, Refused

RETRY = re.compile(r"Try again in (\d+) s")


def retry_seconds(toast: str | None) -> int:
    assert toast is not None, "the action went through"
    match = RETRY.search(toast)
    assert match, f"no retry time for the dancer in {toast}"
    return int(match.group(1))


async def test_socket_connects_20_a_window_per_ip_across_both_servers(floor: Floor, http):
    session_id, _ = floor.live_session()
    ip = new_ip()
    started = time.monotonic()
    phones = [floor.phone(http, i % 2, session_id, ip=ip) for i in range(20)]
    await asyncio.gather(*(p.connect() for p in phones))  # ten on each server, all joined
    assert time.monotonic() - started < 15, "too slow to test a 15 s window"

    for server in (0, 1):  # the 21st is refused whichever server it reaches
        with pytest.raises(Refused) as refused:
            await floor.phone(http, server, session_id, ip=ip).connect()
        message = str(refused.value)
        assert message.startswith(REFUSAL_OPENING)
        wait = int(re.search(r"in about (\d+) s", message).group(1))
        assert 1 <= wait <= 15
    # Another network is not affected.
    other = await floor.phone(http, 1, session_id, ip=new_ip()).connect()

    # Once the window has moved on, the same network gets in again (on either server).
    await asyncio.sleep(max(0.0, started + 15.5 - time.monotonic()))
    again = await floor.phone(http, 1, session_id, ip=ip).connect()
    assert again.fields["version"] >= 0 and again.fields.get("found", True)
    for phone in [*phones, other, again]:
        await phone.close()


async def two_tabs(floor: Floor, http, session_id: str) -> tuple[Phone, Phone]:
    """One dancer (one dancer id, as the phone's localStorage keeps it) with a tab on each server."""
    ip = new_ip()
    first = await floor.phone(http, 0, session_id, ip=ip).connect()
    second = await floor.phone(http, 1, session_id, ip=ip, dancer_id=first.dancer_id).connect()
    assert second.dancer_id == first.dancer_id
    return first, second


async def test_likes_10_a_window_split_across_servers_then_a_retry_time(floor: Floor, http):
    session_id, play_id = floor.live_session()
    a, b = await two_tabs(floor, http, session_id)
    started = time.monotonic()
    for i in range(10):  # like, unlike, like… alternating servers: ten taps in all
        assert await (a if i % 2 == 0 else b).tap("toggle_like", play_id=play_id) is None
    refused = await a.tap("toggle_like", play_id=play_id)
    assert "Easy there" in refused and 1 <= retry_seconds(refused) <= 8
    # Nothing was stored for it: a's tab re-read its likes after the refusal and finds what b's tab
    # read after the last accepted tap.
    assert a.fields["liked"] == b.fields["liked"]
    assert retry_seconds(await b.tap("toggle_like", play_id=play_id)) >= 1  # the other server agrees

    await asyncio.sleep(max(0.0, started + 8.5 - time.monotonic()))
    before = list(b.fields["liked"])
    assert await b.tap("toggle_like", play_id=play_id) is None
    assert b.fields["liked"] != before  # stored this time
    await a.close()
    await b.close()


async def test_thanks_once_a_window(floor: Floor, http):
    session_id, _ = floor.live_session()
    a, b = await two_tabs(floor, http, session_id)
    assert await a.tap("thank_dj") is None
    assert "thanks-sent" in a.toasts[0]
    refused = await b.tap("thank_dj")
    assert 1 <= retry_seconds(refused) <= 4
    await asyncio.sleep(retry_seconds(refused) + 0.5)
    assert await b.tap("thank_dj") is None
    await a.close()
    await b.close()


async def test_tempo_30_a_window(floor: Floor, http):
    session_id, play_id = floor.live_session()
    a, b = await two_tabs(floor, http, session_id)
    started = time.monotonic()
    choices = ["slower", "perfect", "faster"]
    for i in range(30):
        assert await (a if i % 2 == 0 else b).tap("tap_tempo", play_id=play_id, choice=choices[i % 3]) is None
    assert time.monotonic() - started < 10, "too slow to test a 10 s window"
    refused = await b.tap("tap_tempo", play_id=play_id, choice="faster")
    assert "Easy there" in refused and 1 <= retry_seconds(refused) <= 10

    await asyncio.sleep(max(0.0, started + 10.5 - time.monotonic()))
    assert await a.tap("tap_tempo", play_id=play_id, choice="faster") is None
    await a.close()
    await b.close()


async def test_a_poll_vote_counts_once_whatever_the_server(floor: Floor, http):
    session_id, _ = floor.live_session()
    poll = floor.api("POST", f"/sessions/{session_id}/polls",
                     {"question": "Next style?", "options": ["Blues", "Pop"], "duration_s": 300}).json()
    a, b = await two_tabs(floor, http, session_id)  # both tabs joined before the vote: neither knows of it
    assert await a.tap("vote", poll_id=poll["id"], option=1) is None
    refused = await b.tap("vote", poll_id=poll["id"], option=0)
    assert refused is not None  # the database's one-vote rule, told to the dancer
    assert b.fields["my_vote"] == {"poll_id": poll["id"], "option": 1}  # the tab now shows the vote that counts
    # Another dancer's vote counts; the crowd feed (from either server) has two votes, one per dancer.
    c = await floor.phone(http, 1, session_id, ip=new_ip(), dancer_id=uuid.uuid4().hex).connect()
    assert await c.tap("vote", poll_id=poll["id"], option=0) is None
    for server in (0, 1):
        crowd = floor.api("GET", f"/sessions/{session_id}/crowd", server=server).json()
        assert crowd["poll"]["total"] == 2 and crowd["poll"]["counts"] == [1, 1]
    for phone in (a, b, c):
        await phone.close()
