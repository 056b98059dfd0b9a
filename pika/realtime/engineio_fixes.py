"""A small fix to python-engineio's socket writer, kept apart so it could be proposed upstream.

Each websocket has a writer task that waits for its next packet with
`asyncio.wait_for(queue.get(), ping_interval + ping_timeout)`: a timer per packet and, before
Python 3.12, a task per packet too. A room push queues one packet on each of 2,000 sockets at
once, so that timer is paid 2,000 times per push: 15 µs of the ~50 µs a socket costs per push
(`asyncio.timeout` instead of `wait_for` still costs 12 µs; a bare `queue.get()` 3 µs; measured
with uvloop, see docs/perf/history.md).

The deadline is kept, only it is no longer re-armed per packet: a websocket writer notes when it
started waiting, and one timer per socket, firing once per deadline, checks that note. A writer
idle for the whole deadline gets `_EXPIRED` and ends exactly as it did on `wait_for`'s timeout.
(The reader side ends an idle websocket on the same deadline; this is the writer's own safety
net, e.g. for a socket closed by the ping monitor.) Long-polling GETs keep a real timeout:
there the deadline is what ends the request.
"""

from __future__ import annotations

import asyncio

from engineio import exceptions
from engineio.async_socket import AsyncSocket

_EXPIRED = object()  # queued by the watchdog: this writer waited out the whole deadline


def _deadline(sock: AsyncSocket) -> float:
    return sock.server.ping_interval + sock.server.ping_timeout


def _watch(sock: AsyncSocket, loop: asyncio.AbstractEventLoop) -> None:
    since = sock._pika_idle_since
    if since is None and sock.closed:
        sock._pika_watchdog = None  # the writer is gone: let the socket go
        return
    now = loop.time()
    if since is not None and now - since >= _deadline(sock):
        sock._pika_watchdog = None
        sock.queue.put_nowait(_EXPIRED)
        return
    sock._pika_watchdog = loop.call_at((since if since is not None else now) + _deadline(sock), _watch, sock, loop)


async def _wait_watched(sock: AsyncSocket) -> object:
    loop = asyncio.get_running_loop()
    sock._pika_idle_since = loop.time()
    if sock._pika_watchdog is None:
        sock._pika_watchdog = loop.call_at(sock._pika_idle_since + _deadline(sock), _watch, sock, loop)
    try:
        return await sock.queue.get()
    finally:
        sock._pika_idle_since = None


async def poll(self: AsyncSocket) -> list:
    """Wait for packets to send to the client (an empty list: the socket is closing)."""
    queue = self.queue
    try:
        if not queue.empty():
            first = queue.get_nowait()
        elif self.upgraded:  # the websocket writer
            first = await _wait_watched(self)
        else:  # a long-polling GET
            async with asyncio.timeout(_deadline(self)):
                first = await queue.get()
        queue.task_done()
    except (TimeoutError, asyncio.CancelledError):
        raise exceptions.QueueEmpty() from None
    if first is _EXPIRED:
        raise exceptions.QueueEmpty()
    if first is None:
        return []
    packets = [first]
    while not queue.empty():
        pkt = queue.get_nowait()
        queue.task_done()
        if pkt is None:  # closing: leave the marker for the next poll, send what came before it
            queue.put_nowait(None)
            break
        packets.append(pkt)
    return packets


def install() -> None:
    AsyncSocket._pika_idle_since = None
    AsyncSocket._pika_watchdog = None
    AsyncSocket.poll = poll  # idempotent: every worker imports the app once, tests many times
