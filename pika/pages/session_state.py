"""The dancer's view of one session. Room fields are written only by `join` (see realtime.hub)."""

from __future__ import annotations

import uuid

import reflex as rx

from pika.domain.ids import is_session_id
from pika.realtime.hub import hub, room_fields
from pika.services.rooms import EMPTY_PLAY


class DancerRoomState(rx.State):
    # -- room fields: the canonical copy, pushed to the whole room (realtime.hub.ROOM_FIELDS) --
    version: int = -1
    title: str = ""
    dj_name: str = ""
    status: str = ""
    started_at: str = ""
    ended_at: str = ""
    now_playing: dict[str, str] = EMPTY_PLAY
    history: list[dict[str, str]] = []
    listeners: int = 0

    # -- this dancer only --
    found: bool = True
    dancer_id: str = rx.LocalStorage("", name="pika_dancer_id", sync=True)

    def _apply(self, snapshot: dict) -> None:
        for name, value in room_fields(snapshot).items():
            setattr(self, name, value)

    @rx.event
    async def join(self):
        """on_load: enter the session's room and copy its current picture (also on every reconnect)."""
        session_id = self.router.page.params.get("session_id", "")
        if not is_session_id(session_id):
            self.found = False
            return
        if not self.dancer_id:
            self.dancer_id = uuid.uuid4().hex
        # Enter the room BEFORE reading the copy, so no push can fall between the two.
        await hub.enter(self.router.session.session_id, session_id, self.dancer_id)
        snapshot = await hub.snapshot(session_id)
        if snapshot is None:
            self.found = False
            await hub.leave(self.router.session.session_id)
            return
        self.found = True
        self._apply(snapshot)
        self.listeners = await hub.store.listener_count(session_id)
        yield
        # A push sent while our delta was on its way arrived first and was overwritten by it:
        # if the canonical copy moved on meanwhile, send the newer one.
        latest = await hub.store.get(session_id)
        if latest is not None and latest["version"] > snapshot["version"]:
            self._apply(latest)
