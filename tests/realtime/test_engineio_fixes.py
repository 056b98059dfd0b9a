"""The engine.io writer waits for packets without a timer per packet, and still gives up on an idle
socket after python-engineio's deadline (ping interval + ping timeout)."""

from __future__ import annotations

import asyncio
import time

import engineio
import pytest
from engineio import exceptions, packet
from engineio.async_socket import AsyncSocket

from pika.realtime import engineio_fixes

DEADLINE = 0.3  # ping_interval 0.2 + ping_timeout 0.1


@pytest.fixture(autouse=True)
def installed():
    engineio_fixes.install()


def make_socket(*, websocket: bool = True) -> AsyncSocket:
    server = engineio.AsyncServer(async_mode="asgi", ping_interval=0.2, ping_timeout=0.1)
    sock = AsyncSocket(server, "sid-1")
    sock.upgraded = websocket  # True once the writer runs on a websocket; False for long-polling GETs
    sock.last_ping = None  # as after the handshake: the client answers its pings, sends go through
    return sock


def message(text: str) -> packet.Packet:
    return packet.Packet(packet.MESSAGE, text)


async def test_queued_packets_come_out_in_order_in_one_poll():
    sock = make_socket()
    for text in ("one", "two", "three"):
        await sock.send(message(text))
    assert [p.data for p in await sock.poll()] == ["one", "two", "three"]


async def test_the_close_marker_ends_the_batch_and_is_kept_for_the_next_poll():
    sock = make_socket()
    await sock.send(message("before"))
    await sock.queue.put(None)  # what the reader puts when the websocket ends
    assert [p.data for p in await sock.poll()] == ["before"]
    assert await sock.poll() == []  # the writer stops here


async def test_a_waiting_writer_wakes_on_the_next_packet():
    sock = make_socket()
    waiting = asyncio.create_task(sock.poll())
    await asyncio.sleep(0.05)
    assert not waiting.done()
    await sock.send(message("now playing"))
    got = await asyncio.wait_for(waiting, 1)
    assert [p.data for p in got] == ["now playing"]


@pytest.mark.parametrize("websocket", [True, False], ids=["websocket writer", "long-polling GET"])
async def test_an_idle_writer_gives_up_after_the_deadline(websocket):
    sock = make_socket(websocket=websocket)
    t = time.monotonic()
    with pytest.raises(exceptions.QueueEmpty):
        await asyncio.wait_for(sock.poll(), 5)
    assert DEADLINE * 0.9 <= time.monotonic() - t < DEADLINE * 3


async def test_a_writer_fed_more_often_than_the_deadline_never_gives_up():
    sock = make_socket()
    loop = asyncio.get_running_loop()

    async def feed():
        for k in range(6):  # 6 × 0.2 s: four deadlines' worth, each gap shorter than one
            await asyncio.sleep(0.2)
            await sock.send(message(f"push {k}"))

    feeder = asyncio.create_task(feed())
    got = []
    end = loop.time() + 1.3
    while len(got) < 6 and loop.time() < end:
        got += [p.data for p in await sock.poll()]
    await feeder
    assert got == [f"push {k}" for k in range(6)]


async def test_a_room_push_arms_no_timer_per_packet(monkeypatch):
    """The cost this fix removes: python-engineio armed one timer per packet sent."""
    sock = make_socket()
    sock.server.ping_interval = 25  # the production deadline: 25 s + 20 s
    sock.server.ping_timeout = 20
    loop = asyncio.get_running_loop()
    armed = []
    call_at = loop.call_at
    monkeypatch.setattr(
        loop, "call_at", lambda when, cb, *args, **kw: armed.append(cb) or call_at(when, cb, *args, **kw)
    )

    async def writer(n):
        sent = []
        while len(sent) < n:
            sent += await sock.poll()
        return sent

    task = asyncio.create_task(writer(100))
    for k in range(100):  # a hundred pushes, the writer waiting for each
        await asyncio.sleep(0)
        await sock.send(message(f"push {k}"))
    assert [p.data for p in await task] == [f"push {k}" for k in range(100)]
    assert armed == [engineio_fixes._watch]  # one watchdog for the socket; python-engineio armed 100


async def test_the_watchdog_lets_a_closed_socket_go():
    sock = make_socket()
    waiting = asyncio.create_task(sock.poll())
    await asyncio.sleep(0.05)
    await sock.queue.put(None)
    assert await waiting == []
    sock.closed = True
    assert sock._pika_watchdog is not None
    await asyncio.sleep(DEADLINE * 1.5)
    assert sock._pika_watchdog is None  # nothing holds the socket any more
