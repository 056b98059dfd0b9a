"""Redis restarted EMPTY under a running worker: the relay resubscribes, chores carry on, rooms rebuild."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from pika.realtime.chores import Chores
from pika.realtime.relay import RedisRelay
from pika.realtime.store import RedisRoomStore
from pika.settings import get_settings
from tests.realtime.test_join import add_play, dancer_state, drive
from tests.realtime.test_lost_state import open_set
from tests.realtime.test_relay import two_workers
from tests.support.services import Redis, restart_redis, start_redis, stop_redis


@pytest.fixture
def own_redis() -> Iterator[list[Redis]]:
    """A Redis of this test's own (the shared one must not be restarted under other tests)."""
    servers = [start_redis()]
    yield servers
    stop_redis(servers[-1])


async def eventually(condition, timeout: float = 15.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not await condition():
        assert asyncio.get_running_loop().time() < deadline, "condition not met in time"
        await asyncio.sleep(0.1)


async def test_the_relay_resubscribes_after_redis_comes_back_empty(own_redis):
    async with two_workers(own_redis[0].url, "test:rooms") as (one, _two, _worker1, worker2):
        async def arrives(n: int):
            async def check():
                await one.send("session:a", {"n": n})
                await asyncio.sleep(0.1)
                return any(payload == {"n": n} for _, payload in worker2.got)
            return check

        await eventually(await arrives(1))
        own_redis.append(restart_redis(own_redis.pop()))
        # Sending while the relay is still reconnecting must not raise (the play is already stored).
        await one.send("session:a", {"n": 0})
        await eventually(await arrives(2))


async def test_a_relay_that_resubscribes_asks_for_its_rooms_whole(own_redis):
    """Updates published while the subscription was down are lost, and pushes carry only what
    changed: the worker's sockets must be sent their rooms whole."""
    relay = RedisRelay(own_redis[0].url, "test:resync")
    resyncs = []

    async def deliver(room, payload):
        return None

    async def resync():
        resyncs.append(1)

    relay.bind(deliver, resync)
    task = asyncio.create_task(relay.run())
    try:
        await asyncio.sleep(0.5)
        assert resyncs == []  # the first subscription missed nothing
        own_redis.append(restart_redis(own_redis.pop()))

        async def resynced():
            return resyncs == [1]
        await eventually(resynced)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await relay.close()


@pytest.mark.parametrize("stack", ["production"], indirect=True)
async def test_chores_and_rooms_survive_redis_coming_back_empty(own_redis, bound_hub, engine, monkeypatch):
    session_id = open_set(engine)
    store = RedisRoomStore(own_redis[0].url, prefix="rr:")
    bound_hub.store = store

    async def no_sockets() -> set[str]:  # the stand-in socket server has no connection manager
        return set()

    monkeypatch.setattr(bound_hub, "refresh_presence", no_sockets)
    await bound_hub.publish(add_play(engine, session_id, "Before"))
    chores = asyncio.create_task(Chores(bound_hub, get_settings(), "w1").run())
    try:
        own_redis.append(restart_redis(own_redis.pop()))
        await asyncio.sleep(1.5)  # at least one round of chores meets the dead connections
        assert not chores.done()
        # The leader comes back: a dancer's action (a dirty room) is refreshed again.
        emitted = bound_hub.app.event_namespace.emitted
        seen = len(emitted)
        await store.mark_dirty(session_id)
        async def refreshed():
            return any("likes_now_rx_state_" in str(p) for _, _, p in emitted[seen:])
        await eventually(refreshed)
        assert await store.get(session_id) is None  # the room copy is gone with Redis…
        state = dancer_state(session_id)
        await drive(state)  # …and a join rebuilds it from the database
        assert state.now_playing["title"] == "Before"
        assert (await store.get(session_id))["now_playing"]["title"] == "Before"
        # The next push writes a complete copy too.
        await bound_hub.publish(add_play(engine, session_id, "After"))
        assert (await store.get(session_id))["now_playing"]["title"] == "After"
    finally:
        chores.cancel()
        await asyncio.gather(chores, return_exceptions=True)
        await store.close()
