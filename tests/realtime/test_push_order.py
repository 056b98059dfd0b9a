"""Two workers pushing one room at once: every phone gets the pushes in the order of their swaps."""

from __future__ import annotations

import asyncio
import contextlib
import uuid

import pytest

from pika.pages.session_state import DancerRoomState
from pika.realtime.hub import RoomHub, count_fields
from pika.realtime.relay import RedisRelay
from pika.realtime.store import RedisRoomStore
from tests.realtime.test_hub import App, sent, snapshot


def phone(hub: RoomHub) -> dict:
    """What a phone on this worker shows: every update it received, applied in order."""
    shown: dict = {}
    for update in sent(hub):
        shown.update(update)
    return shown


@contextlib.asynccontextmanager
async def two_workers(redis_url: str):
    prefix, channel = f"po{uuid.uuid4().hex[:8]}:", f"test:{uuid.uuid4().hex}"
    hubs, tasks = [], []
    for _ in range(2):
        hub = RoomHub()
        hub.bind(App(), DancerRoomState, RedisRoomStore(redis_url, prefix=prefix), RedisRelay(redis_url, channel))
        hubs.append(hub)
        tasks.append(asyncio.create_task(hub.relay.run()))
    await asyncio.sleep(0.3)  # both subscribed
    try:
        yield hubs
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for hub in hubs:
            await hub.relay.close()
            await hub.store.close()


async def settled(hubs: list[RoomHub], count: int) -> None:
    for _ in range(100):
        if all(len(hub.app.event_namespace.emitted) >= count for hub in hubs):
            return
        await asyncio.sleep(0.05)


@pytest.mark.parametrize("stack", ["production"], indirect=True)
async def test_a_count_changed_and_changed_back_by_two_workers_ends_right_on_every_phone(stack):
    async with two_workers(stack.redis_url) as (one, two):
        before = count_fields(snapshot("s1", 1))
        liked = {**before, "likes_now": {"p1": 1}}
        await one.publish_counts("s1", before)

        # Worker one swaps in a like, then is slow to send it; worker two swaps in the unlike.
        send = one.relay.send

        async def slow_send(room, payload):
            await asyncio.sleep(0.2)
            await send(room, payload)

        one.relay.send = slow_send
        first = asyncio.create_task(one.publish_counts("s1", liked))
        await asyncio.sleep(0.05)  # one has swapped and is sending
        await two.publish_counts("s1", before)
        await first
        await settled([one, two], 3)

        assert (await one.store.get_counts("s1"))["likes_now"] == {}
        for hub in (one, two):
            assert [update.get("likes_now") for update in sent(hub)] == [{}, {"p1": 1}, {}]
            assert phone(hub)["likes_now"] == {}


@pytest.mark.parametrize("stack", ["production"], indirect=True)
async def test_a_worker_delivers_its_own_pushes_from_its_subscription_in_order_with_the_others(stack):
    async with two_workers(stack.redis_url) as (one, two):
        for version in range(1, 21):
            await (one if version % 2 else two).publish(snapshot("s1", version, title=f"Track {version}"))
        await settled([one, two], 20)
        for hub in (one, two):
            assert [update["now_playing"]["title"] for update in sent(hub)] == [f"Track {v}" for v in range(1, 21)]


@pytest.mark.parametrize("stack", ["production"], indirect=True)
async def test_a_room_lock_left_by_a_dead_worker_delays_the_next_push_only_briefly(stack):
    store = RedisRoomStore(stack.redis_url, prefix=f"pl{uuid.uuid4().hex[:8]}:")
    try:
        entered = asyncio.Event()

        async def holder():
            async with store.pushing("s1"):
                entered.set()
                await asyncio.sleep(0.3)

        task = asyncio.create_task(holder())
        await entered.wait()
        started = asyncio.get_running_loop().time()
        async with store.pushing("s1"):  # waits for the holder
            waited = asyncio.get_running_loop().time() - started
        await task
        assert 0.2 < waited < 1.0
        async with store.pushing("s2"):  # another room never waits
            pass

        await store._redis.set(f"{store._prefix}pushing:s1", "a worker that died", px=500)
        started = asyncio.get_running_loop().time()
        async with store.pushing("s1"):
            assert asyncio.get_running_loop().time() - started < 1.5
    finally:
        await store.close()
