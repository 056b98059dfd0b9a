"""Room updates cross workers through Redis; each worker delivers to its own sockets once."""

from __future__ import annotations

import asyncio
import contextlib
import uuid

import pytest

from pika.realtime.relay import LocalRelay, RedisRelay


class Sockets:
    def __init__(self) -> None:
        self.got: list[tuple[str, dict]] = []

    async def deliver(self, room: str, payload: dict) -> None:
        self.got.append((room, payload))


async def test_local_relay_delivers_here():
    relay, here = LocalRelay(), Sockets()
    relay.bind(here.deliver)
    await relay.send("session:a", {"delta": 1})
    assert here.got == [("session:a", {"delta": 1})]


@contextlib.asynccontextmanager
async def two_workers(url: str, channel: str):
    """Two workers' relays on one Redis channel, running; yields (relay 1, relay 2, sockets 1, sockets 2)."""
    one, two = RedisRelay(url, channel), RedisRelay(url, channel)
    worker1, worker2 = Sockets(), Sockets()
    one.bind(worker1.deliver)
    two.bind(worker2.deliver)
    tasks = [asyncio.create_task(one.run()), asyncio.create_task(two.run())]
    try:
        yield one, two, worker1, worker2
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await one.close()
        await two.close()


@pytest.mark.parametrize("stack", ["production"], indirect=True)
async def test_an_update_reaches_the_other_worker_exactly_once(stack):
    async with two_workers(stack.redis_url, f"test:{uuid.uuid4().hex}") as (one, _two, worker1, worker2):
        await asyncio.sleep(0.3)  # both subscribed
        await one.send("session:a", {"delta": {"x": 1}})
        for _ in range(50):
            if worker2.got:
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.2)
        assert worker2.got == [("session:a", {"delta": {"x": 1}})]
        assert worker1.got == [("session:a", {"delta": {"x": 1}})]  # its own copy, once: from its subscription


@pytest.mark.parametrize("stack", ["production"], indirect=True)
async def test_the_other_workers_hear_of_an_update_before_this_one_fills_its_own_sockets(stack):
    # Filling a worker's sockets takes a while at 2,000 dancers; the other worker should not wait for it.
    async with two_workers(stack.redis_url, f"test:{uuid.uuid4().hex}") as (one, two, worker1, worker2):
        await asyncio.sleep(0.3)  # both subscribed
        heard_elsewhere = asyncio.Event()
        worker2_deliver = worker2.deliver

        async def worker2_hears(room, payload):
            await worker2_deliver(room, payload)
            heard_elsewhere.set()

        async def worker1_fills_its_sockets(room, payload):
            await asyncio.wait_for(heard_elsewhere.wait(), 5)  # times out if the others were told after
            await worker1.deliver(room, payload)

        two.bind(worker2_hears)
        one.bind(worker1_fills_its_sockets)
        await one.send("session:a", {"delta": {"x": 1}})  # returns once published: no worker has to wait for it
        for _ in range(100):
            if worker1.got:
                break
            await asyncio.sleep(0.05)
        assert worker1.got == worker2.got == [("session:a", {"delta": {"x": 1}})]
