"""One room update to every socket of the room on this worker: encoded once, queued straight onto
each socket, without a task per socket.

python-socketio's `emit(room=…)` also encodes once, but then creates one asyncio task per recipient
to queue the packet; at 2,000 sockets those tasks are a large part of a push's CPU (py-spy, see
docs/performance.md). Queueing onto an engine.io socket never waits (its queue is unbounded), so a
plain loop does the same work. Written against python-socketio's public server API so it could be
proposed upstream as an emit option.
"""

from __future__ import annotations

from typing import Any

from engineio import packet as eio_packet
from socketio import packet as sio_packet


async def emit_to_room(namespace: Any, room: str, event: str, data: Any) -> None:
    server = getattr(namespace, "server", None)
    if server is None:  # a namespace not bound to a python-socketio server (the tests' stand-ins)
        await namespace.emit(event, data, room=room)
        return
    name = namespace.namespace
    encoded = server.packet_class(sio_packet.EVENT, namespace=name, data=[event, data]).encode()
    packets = [eio_packet.Packet(eio_packet.MESSAGE, part) for part in (encoded if isinstance(encoded, list) else [encoded])]
    # A list first: a socket that disconnects while we queue must not change the room under the loop.
    recipients = [eio_sid for _sid, eio_sid in server.manager.get_participants(name, room)]
    for eio_sid in recipients:
        for pkt in packets:
            await server.eio.send_packet(eio_sid, pkt)
