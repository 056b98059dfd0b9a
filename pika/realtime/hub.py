"""Rooms: one socket.io room per session, one emit per update, whatever the number of dancers.

`rx.SharedState` applies a room update to each linked client one by one (O(N²) per push); here
the room's public data lives once (the store), and an update is ONE socket.io emit of a Reflex
state delta to the session's room. python-socketio encodes it once for all sockets; with Redis
the relay (relay.py) carries it to the sockets held by other workers.

Rules that keep the per-client copies honest (each has a test):
- Only `join` writes the room fields of a dancer's state, always from the canonical copy. The
  server-side per-client copy goes stale after each push, so no other handler may touch them.
- Pushes carry every derived value they need: cached computed vars are not recomputed by a push.
- A push racing a join could be overtaken by the join's older copy: `join` re-checks the
  version (and the counts) after its delta is sent and sends the newer copy if one arrived meanwhile.
- A push sends only the fields that changed since the copy it replaced, swapped atomically in the
  store, so a play sends the history block it touched, not the whole history. Without such a copy
  (first push, Redis restarted empty, the same version sent again) it sends everything, and a
  failed send drops the stored copies so the next push is whole again.
- Pushes of one room reach phones in the order of their swaps: a push holds the room's lock in
  the store from its swap to its send, and with Redis every worker (the sender too) delivers from
  its one subscription, which hears messages in the order they were published. Otherwise a count
  changed and changed back by two workers' pushes could stay wrong on every phone.
- Counts are read from the database before they are swapped in, so an older read can be stored
  after a newer one; every publish marks the room dirty, and the leader's refresh (≤ 1 s) stores
  and sends what the database holds.
"""

from __future__ import annotations

import contextlib
import logging
from typing import TYPE_CHECKING, Any

from reflex_base.constants.state import FIELD_MARKER
from starlette.concurrency import run_in_threadpool

from pika.db import session_scope
from pika.realtime import fanout
from pika.realtime.relay import LocalRelay
from pika.realtime.store import MemoryRoomStore, RoomStore
from pika.services.errors import NotFound
from pika.services.rooms import HISTORY_FIELDS, LIKES_FIELDS, room_snapshot
from pika.services.sessions import get_session

if TYPE_CHECKING:
    import reflex as rx

log = logging.getLogger(__name__)

# The room fields of the dancer's state, all written from the canonical copy: the versioned
# picture of the set, and the counts that dancers' actions and the clock change (coalesced).
PICTURE_FIELDS = ("version", "title", "dj_name", "status", "started_at", "ended_at", "now_playing", "history_head",
                  *HISTORY_FIELDS)
COUNT_FIELDS = (*LIKES_FIELDS, "tempo", "poll", "announcement")
ROOM_FIELDS = PICTURE_FIELDS + COUNT_FIELDS


def room_name(session_id: str) -> str:
    return f"session:{session_id}"


def room_fields(snapshot: dict, counts: dict | None = None) -> dict[str, Any]:
    """The dancer-state fields from a canonical copy; newer counts (if any) win over the snapshot's."""
    fields = {name: snapshot[name] for name in ROOM_FIELDS}
    if counts:
        fields.update(known_counts(counts))
    return fields


def known_counts(counts: dict) -> dict[str, Any]:
    """The count fields a stored copy has (one written by an older release may lack some)."""
    return {name: counts[name] for name in COUNT_FIELDS if name in counts}


def count_fields(counts: dict) -> dict[str, Any]:
    return {name: counts[name] for name in COUNT_FIELDS}


def picture_fields(snapshot: dict) -> dict[str, Any]:
    return {name: snapshot[name] for name in PICTURE_FIELDS}


_MISSING = object()


def changed(fields: dict[str, Any], previous: dict | None) -> dict[str, Any]:
    """The fields whose value differs from the previous copy; all of them when there is none."""
    if previous is None:
        return dict(fields)
    return {name: value for name, value in fields.items() if previous.get(name, _MISSING) != value}


def _usable(copy: dict | None) -> dict | None:
    """A stored copy with every room field this release sends; one left in Redis by an older
    release (other fields) counts as none, and is rebuilt from the database."""
    return copy if copy is not None and all(name in copy for name in ROOM_FIELDS) else None


def _snapshot_from_db(session_id: str) -> dict | None:
    with session_scope() as db:
        try:
            return room_snapshot(db, get_session(db, session_id))
        except NotFound:
            return None


class RoomHub:
    def __init__(self) -> None:
        self.app: rx.App | None = None
        self.state_name = ""
        self.store: RoomStore = MemoryRoomStore()
        self.relay = LocalRelay()
        # Sockets of THIS worker in a room: sid -> (session id, dancer id). Used for presence.
        self._members: dict[str, tuple[str, str]] = {}

    def bind(self, app: rx.App, state_cls: type, store: RoomStore, relay: LocalRelay | None = None) -> None:
        self.app = app
        self.state_name = state_cls.get_full_name()
        self.store = store
        self.relay = relay or LocalRelay()
        self.relay.bind(self.deliver, self.resync)

    # -- sending -------------------------------------------------------------------------------
    def payload(self, fields: dict[str, Any]) -> dict:
        """A Reflex state update, shaped as `StateUpdate` serialises, for the dancer's state."""
        return {"delta": {self.state_name: {name + FIELD_MARKER: value for name, value in fields.items()}}}

    async def emit(self, session_id: str, fields: dict[str, Any]) -> None:
        """ONE update for the whole room, on every worker (see relay.py)."""
        await self.relay.send(room_name(session_id), self.payload(fields))

    async def _send_changes(self, session_id: str, fields: dict[str, Any]) -> None:
        try:
            await self.emit(session_id, fields)
        except Exception:
            # Phones may have missed these changes: the next push must not assume they have them.
            with contextlib.suppress(Exception):
                await self.store.forget(session_id)
            raise

    async def deliver(self, room: str, payload: dict) -> None:
        """Send to the room's sockets held by this worker."""
        namespace = self.app.event_namespace if self.app else None
        if namespace is not None:
            await fanout.emit_to_room(namespace, room, "event", payload)

    async def stored(self, session_id: str) -> dict | None:
        """The stored canonical copy, if this release can use it."""
        return _usable(await self.store.get(session_id))

    async def resync(self) -> None:
        """Send the rooms of this worker's sockets whole, to this worker's sockets only (after the
        relay missed updates)."""
        for session_id in {session_id for session_id, _ in list(self._members.values())}:
            snapshot = await self.snapshot(session_id)
            if snapshot is not None:
                fields = room_fields(snapshot, await self.store.get_counts(session_id))
                await self.deliver(room_name(session_id), self.payload(fields))

    async def snapshot(self, session_id: str) -> dict | None:
        """The canonical copy, rebuilt from the database when the store has none (first join, restart)."""
        snapshot = await self.stored(session_id)
        if snapshot is not None:
            return snapshot
        snapshot = await run_in_threadpool(_snapshot_from_db, session_id)
        if snapshot is not None:
            stored, newer = await self.store.replace(session_id, snapshot)
            if not stored and _usable(newer) is not None:
                snapshot = newer
        return snapshot

    async def publish(self, snapshot: dict) -> bool:
        """Make a snapshot the canonical copy and send the room what changed, unless a newer one won."""
        session_id = snapshot["session_id"]
        async with self.store.pushing(session_id):
            stored, previous = await self.store.replace(session_id, snapshot)
            if not stored:
                return False
            previous_counts = await self.store.swap_counts(session_id, count_fields(snapshot))
            if previous is not None and previous["version"] >= snapshot["version"]:
                previous = previous_counts = None  # sent again: the first send may not have reached anyone
            await self._send_changes(session_id, {
                **changed(picture_fields(snapshot), previous),
                **changed(count_fields(snapshot), previous_counts),
            })
        # Counts another worker read before this snapshot may be stored after it (the new track
        # showing the last one's likes): the leader's next refresh reads them afresh.
        await self.store.mark_dirty(session_id)
        return True

    async def publish_missing(self, snapshot: dict) -> bool:
        """Publish a snapshot unless the store already has it (or a newer one): for a request sent
        again, whose first try may have stored its plays but not pushed them."""
        current = await self.stored(snapshot["session_id"])
        if current is not None and current["version"] >= snapshot["version"]:
            return False
        return await self.publish(snapshot)

    async def publish_counts(self, session_id: str, counts: dict) -> None:
        fields = count_fields(counts)
        async with self.store.pushing(session_id):
            if changes := changed(fields, await self.store.swap_counts(session_id, fields)):
                await self._send_changes(session_id, changes)

    # -- membership ----------------------------------------------------------------------------
    async def enter(self, sid: str, session_id: str, dancer_id: str) -> None:
        """Put a dancer's socket in the session's room (and out of any other room it was in)."""
        namespace = self.app.event_namespace if self.app else None
        if namespace is None or not sid:
            return
        previous = self._members.get(sid)
        if previous and previous[0] != session_id:
            await namespace.leave_room(sid, room_name(previous[0]))
        await namespace.enter_room(sid, room_name(session_id))
        self._members[sid] = (session_id, dancer_id)
        await self.store.seen(session_id, [dancer_id])

    def member(self, sid: str) -> tuple[str, str] | None:
        """(session id, dancer id) of a socket this worker put in a room, known without Redis."""
        return self._members.get(sid)

    async def leave(self, sid: str) -> None:
        namespace = self.app.event_namespace if self.app else None
        previous = self._members.pop(sid, None)
        if namespace is not None and previous:
            await namespace.leave_room(sid, room_name(previous[0]))

    async def refresh_presence(self) -> set[str]:
        """Mark the dancers whose sockets are connected here as seen. Returns their sessions."""
        namespace = self.app.event_namespace if self.app else None
        if namespace is None:
            return set()
        manager = namespace.server.manager
        by_session: dict[str, list[str]] = {}
        for sid, (session_id, dancer_id) in list(self._members.items()):
            if not manager.is_connected(sid, namespace.namespace):
                # python-socketio dropped it from the room on disconnect; forget it too.
                del self._members[sid]
                continue
            by_session.setdefault(session_id, []).append(dancer_id)
        for session_id, dancers in by_session.items():
            await self.store.seen(session_id, dancers)
        return set(by_session)


hub = RoomHub()
