"""The room emit sends exactly what python-socketio's own emit sends, to exactly the same sockets."""

from __future__ import annotations

import asyncio

import socketio

from pika.realtime.fanout import emit_to_room

NAMESPACE = "/_event"


class Recorder(socketio.AsyncNamespace):
    pass


def server_with_rooms() -> tuple[socketio.AsyncServer, socketio.AsyncNamespace, list]:
    server = socketio.AsyncServer(async_mode="asgi")
    namespace = Recorder(NAMESPACE)
    server.register_namespace(namespace)
    sent: list[tuple[str, str]] = []

    async def record(eio_sid, pkt):  # the engine.io layer: what would go down each websocket
        sent.append((eio_sid, pkt.encode()))

    server.eio.send_packet = record
    return server, namespace, sent


async def join(server, eio_sid: str, room: str | None) -> None:
    sid = await server.manager.connect(eio_sid, NAMESPACE)
    if room:
        await server.enter_room(sid, room, namespace=NAMESPACE)


async def test_the_room_gets_the_same_packets_as_python_socketio_would_send():
    payload = {"delta": {"state.dancer": {"listeners_rx_state_": 7, "title_rx_state_": "Fri — “Blues”"}}}
    ours, ours_ns, ours_sent = server_with_rooms()
    theirs, _theirs_ns, theirs_sent = server_with_rooms()
    for server in (ours, theirs):
        await join(server, "eio-a", "session:abc")
        await join(server, "eio-b", "session:abc")
        await join(server, "eio-c", "session:other")  # another session's phone
        await join(server, "eio-d", None)

    await emit_to_room(ours_ns, "session:abc", "event", payload)
    await theirs.emit("event", payload, room="session:abc", namespace=NAMESPACE)
    await asyncio.sleep(0)  # python-socketio sends through one task per recipient

    assert sorted(ours_sent) == sorted(theirs_sent)
    assert sorted(eio for eio, _ in ours_sent) == ["eio-a", "eio-b"]


async def test_a_stand_in_namespace_without_a_server_gets_a_plain_emit():
    calls = []

    class StandIn:
        namespace = NAMESPACE

        async def emit(self, event, data, room=None):
            calls.append((event, room, data))

    await emit_to_room(StandIn(), "session:abc", "event", {"delta": {}})
    assert calls == [("event", "session:abc", {"delta": {}})]
