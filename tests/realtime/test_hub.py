"""Room updates: the payload Reflex's client applies, and the join rules that keep it honest."""

from __future__ import annotations

import pytest

from pika.domain import history
from pika.pages.session_state import EMPTY_POLL, DancerRoomState
from pika.realtime.hub import COUNT_FIELDS, ROOM_FIELDS, RoomHub, room_fields
from pika.realtime.store import MemoryRoomStore
from pika.services.rooms import EMPTY_PLAY


class Namespace:
    namespace = "/_event"

    def __init__(self) -> None:
        self.emitted: list[tuple] = []
        self.rooms: dict[str, set[str]] = {}

    async def emit(self, event, payload, room=None, **_):
        self.emitted.append((event, room, payload))

    async def enter_room(self, sid, room):
        self.rooms.setdefault(room, set()).add(sid)

    async def leave_room(self, sid, room):
        self.rooms.get(room, set()).discard(sid)


class App:
    def __init__(self) -> None:
        self.event_namespace = Namespace()


def snapshot(session_id: str, version: int, title: str = "T") -> dict:
    return {"session_id": session_id, "version": version, "title": "Set", "dj_name": "Nova", "status": "live",
            "started_at": "", "ended_at": "", "now_playing": {**EMPTY_PLAY, "play_id": f"p{version}", "title": title},
            "history_head": 0, **{f"history_{key}": [] for key in history.KEYS},
            "likes_now": {}, **{f"likes_{key}": {} for key in history.KEYS}, "tempo": {}, "poll": EMPTY_POLL,
            "announcement": {"id": 0, "message": "", "expires_at": ""}}


def sent(hub: RoomHub) -> list[dict]:
    """The fields of each update sent to the room, without Reflex's field marker."""
    return [{name.removesuffix("_rx_state_"): value for name, value in payload["delta"][hub.state_name].items()}
            for _, _, payload in hub.app.event_namespace.emitted]


@pytest.fixture
def hub() -> RoomHub:
    hub = RoomHub()
    hub.bind(App(), DancerRoomState, MemoryRoomStore())
    return hub


def test_the_dancer_state_holds_every_room_field():
    fields = DancerRoomState.get_fields()
    assert set(ROOM_FIELDS) <= set(fields)


def test_payload_is_a_reflex_delta_for_the_dancer_state(hub):
    payload = hub.payload({"listeners": 7})
    assert payload == {"delta": {DancerRoomState.get_full_name(): {"listeners_rx_state_": 7}}}


async def test_publish_is_one_emit_to_the_sessions_room(hub):
    await hub.publish(snapshot("aaa", 1))
    ((event, room, payload),) = hub.app.event_namespace.emitted
    assert (event, room) == ("event", "session:aaa")
    delta = payload["delta"][DancerRoomState.get_full_name()]
    # The room's first push: the store had no copy, so everything goes.
    assert set(delta) == {f"{name}_rx_state_" for name in ROOM_FIELDS}


async def test_a_push_sends_only_what_changed_since_the_copy_it_replaced(hub):
    await hub.publish(snapshot("aaa", 1, "First"))
    newer = {**snapshot("aaa", 2, "Second"), "history_recent": [{"play_id": "p1", "full_title": "First"}]}
    await hub.publish(newer)
    assert sent(hub)[-1] == {"version": 2, "now_playing": newer["now_playing"], "history_recent": newer["history_recent"]}


async def test_the_same_version_sent_again_is_sent_whole(hub):
    """A retry: nobody may have received the first send."""
    await hub.publish(snapshot("aaa", 1))
    await hub.publish(snapshot("aaa", 1))
    assert set(sent(hub)[-1]) == set(ROOM_FIELDS)


async def test_a_failed_send_makes_the_next_push_whole(hub):
    await hub.publish(snapshot("aaa", 1))

    async def broken(room, payload):
        raise ConnectionError("Redis went away")

    working, hub.relay._deliver = hub.relay._deliver, broken
    with pytest.raises(ConnectionError):
        await hub.publish(snapshot("aaa", 2, "Lost"))
    hub.relay._deliver = working
    await hub.publish(snapshot("aaa", 3, "Next"))
    # The phones never got version 2's changes: version 3 carries everything, not just its own.
    assert set(sent(hub)[-1]) == set(ROOM_FIELDS)


async def test_counts_pushes_send_only_the_counts_that_changed(hub):
    await hub.publish(snapshot("aaa", 1))
    counts = {name: snapshot("aaa", 1)[name] for name in COUNT_FIELDS}
    await hub.publish_counts("aaa", {**counts, "likes_now": {"p1": 3}})
    assert sent(hub)[-1] == {"likes_now": {"p1": 3}}
    before = len(sent(hub))
    await hub.publish_counts("aaa", {**counts, "likes_now": {"p1": 3}})
    assert len(sent(hub)) == before  # nothing changed: nothing sent


async def test_resync_sends_each_room_with_sockets_here_whole(hub):
    await hub.publish(snapshot("aaa", 1))
    await hub.publish(snapshot("aaa", 2, "Missed by another worker"))
    await hub.publish(snapshot("bbb", 1))
    await hub.enter("sid1", "aaa", "dancer1")
    before = len(hub.app.event_namespace.emitted)
    await hub.resync()
    ((_, room, _),) = hub.app.event_namespace.emitted[before:]  # bbb has nobody here
    assert room == "session:aaa"
    fields = sent(hub)[-1]
    assert set(fields) == set(ROOM_FIELDS)
    assert fields["now_playing"]["title"] == "Missed by another worker"


async def test_a_stale_publish_is_not_sent(hub):
    await hub.publish(snapshot("aaa", 2))
    assert not await hub.publish(snapshot("aaa", 1))
    assert len(hub.app.event_namespace.emitted) == 1


async def test_entering_a_room_leaves_the_previous_one(hub):
    rooms = hub.app.event_namespace.rooms
    await hub.enter("sid1", "aaa", "dancer1")
    await hub.enter("sid1", "bbb", "dancer1")
    assert "sid1" not in rooms["session:aaa"]
    assert "sid1" in rooms["session:bbb"]
    await hub.leave("sid1")
    assert "sid1" not in rooms["session:bbb"]


def test_room_fields_are_taken_from_the_canonical_copy_only():
    snap = snapshot("aaa", 3)
    assert room_fields(snap) == {name: snap[name] for name in ROOM_FIELDS}
    assert "session_id" not in room_fields(snap)


def test_dancer_handlers_never_read_the_stale_room_fields():
    """After the first push the server's copy of room fields is stale: only join may touch them."""
    import inspect
    import re

    from pika.realtime.hub import ROOM_FIELDS

    pattern = re.compile(r"self\.(" + "|".join(ROOM_FIELDS) + r")\b")
    for name, handler in DancerRoomState.event_handlers.items():
        if name in {"join"} or name.startswith("set_"):
            continue
        source = inspect.getsource(handler.fn)
        assert not pattern.search(source), f"{name} reads a room field: {pattern.search(source).group(0)}"
