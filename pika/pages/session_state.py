"""The dancer's view of one session.

Room fields (realtime.hub.ROOM_FIELDS) are written only by `join`, from the canonical copy; pushes
update them in the browser. The dancer's own likes and votes are private fields that only this
dancer's handlers change.
"""

from __future__ import annotations

import uuid

import reflex as rx

from pika.components import notice
from pika.domain.ids import is_session_id
from pika.realtime import floor
from pika.realtime.hub import ROOM_FIELDS, hub, known_counts, room_fields
from pika.services.rooms import EMPTY_PLAY

EMPTY_POLL = {"id": 0, "question": "", "options": [], "counts": [], "percents": [], "total": 0, "closes_at": "",
              "open": False, "winners": []}


class DancerRoomState(rx.State):
    # -- room fields: the canonical copy, pushed to the whole room --------------------------------
    version: int = -1
    title: str = ""
    dj_name: str = ""
    status: str = ""
    started_at: str = ""
    ended_at: str = ""
    now_playing: dict[str, str] = EMPTY_PLAY
    # The history in blocks (pika/domain/history.py): the newest block, then a ring of SLOTS
    # blocks, newest first from slot `history_head`. Likes are cut the same way.
    history_head: int = 0
    history_recent: list[dict[str, str]] = []
    history_0: list[dict[str, str]] = []
    history_1: list[dict[str, str]] = []
    history_2: list[dict[str, str]] = []
    history_3: list[dict[str, str]] = []
    history_4: list[dict[str, str]] = []
    listeners: int = 0
    likes_now: dict[str, int] = {}
    likes_recent: dict[str, int] = {}
    likes_0: dict[str, int] = {}
    likes_1: dict[str, int] = {}
    likes_2: dict[str, int] = {}
    likes_3: dict[str, int] = {}
    likes_4: dict[str, int] = {}
    tempo: dict[str, str | int] = {}
    poll: dict = EMPTY_POLL
    announcement: dict[str, str | int] = {"id": 0, "message": "", "expires_at": ""}

    # -- this dancer only ---------------------------------------------------------------------------
    found: bool = True
    locked: bool = False
    pin_error: str = ""
    dancer_id: str = rx.LocalStorage("", name="pika_dancer_id", sync=True)
    liked: list[str] = []
    my_tempo: dict[str, str] = {"play_id": "", "choice": ""}
    my_vote: dict[str, int] = {"poll_id": 0, "option": -1}
    # Taps shown at once but not yet stored ("like:<play>", "tempo:<play>", "vote:<poll>"). The
    # server clears a key once the database has the tap: that update is the dancer's receipt.
    saving: list[str] = []

    def _session(self) -> str:
        return self.rx_router_page.params.get("session_id", "")

    def _lost(self, retry) -> list | None:
        """Events that resync a dancer whose server-side state vanished, then retry the tap; None if all is well.

        Redis restarted empty drops Reflex's per-dancer states while the socket stays up, so no
        reconnect re-runs `join`: the next tap meets a fresh state without the dancer's id. This
        worker still knows which dancer holds the socket (it put it in the room), so the dancer
        keeps their identity: `join` reloads the picture and their own likes/votes, then the tap
        is replayed against them.
        """
        if self.dancer_id:
            return None
        member = hub.member(self.router.session.session_id)
        if member is None or member[0] != self._session():
            return [notice.error("Reconnecting… please reload the page if this persists.", id="action-refused")]
        self.dancer_id = member[1]
        return [DancerRoomState.join, retry]

    def _apply(self, snapshot: dict, counts: dict | None = None) -> None:
        for name, value in room_fields(snapshot, counts).items():
            setattr(self, name, value)

    def _start_saving(self, kind: str, about: str | int) -> str:
        key = f"{kind}:{about}"
        if key not in self.saving:
            self.saving = [*self.saving, key]
        return key

    def _saved(self, key: str) -> None:
        self.saving = [k for k in self.saving if k != key]

    @rx.event
    async def join(self):
        """on_load: enter the session's room and copy its current picture (also on every reconnect)."""
        session_id = self._session()
        if not is_session_id(session_id):
            self.found = False
            return
        new_dancer = not self.dancer_id
        if new_dancer:
            self.dancer_id = uuid.uuid4().hex
        gate = await hub.snapshot(session_id)
        if gate is None:
            self.found = False
            return
        # Only a PIN-guarded session needs the database to know who may enter (snapshots written
        # before the "pin" flag existed count as guarded).
        allowed = True if gate.get("pin", True) is False else await floor.may_enter(session_id, self.dancer_id)
        if allowed is None:
            self.found = False
            return
        self.locked = not allowed
        if self.locked:
            # Nothing of the room reaches a phone that has not entered the PIN.
            await hub.leave(self.router.session.session_id)
            self.version = 0
            return
        # Enter the room BEFORE reading the copy, so no push can fall between the two.
        await hub.enter(self.router.session.session_id, session_id, self.dancer_id)
        snapshot = await hub.snapshot(session_id)
        if snapshot is None:
            self.found = False
            await hub.leave(self.router.session.session_id)
            return
        self.found = True
        counts = await hub.store.get_counts(session_id)
        self._apply(snapshot, counts)
        self.listeners = await hub.store.listener_count(session_id)
        if not new_dancer:  # a dancer created just now has no likes or votes to look up
            mine = await floor.dancer_view(session_id, self.dancer_id)
            self.liked, self.my_tempo, self.my_vote = mine["liked"], mine["my_tempo"], mine["my_vote"]
        yield
        # A push sent while our delta was on its way arrived first and was overwritten by it:
        # if the canonical copy moved on meanwhile, send the newer one (pushes carry only changes,
        # so the next one would not repair it).
        latest = await hub.stored(session_id)
        latest_counts = await hub.store.get_counts(session_id)
        if latest is not None and latest["version"] > snapshot["version"]:
            self._apply(latest, latest_counts)
        elif latest_counts and latest_counts != counts:
            for name, value in known_counts(latest_counts).items():
                setattr(self, name, value)
        self._drop_room_copy()

    def _drop_room_copy(self) -> None:
        """Free the server's copy of the room fields once the phone has them.

        Nothing reads them after the join (pushes bypass this state, and they would be stale
        anyway), yet Reflex keeps every dancer's state: mid-set that copy is ~26 KB of Python
        objects per dancer. Reflex keeps field values in the instance dict and reads a missing
        one as its default, so dropping them there sends nothing. Fields still waiting to be sent
        (set after the last delta went out) stay. A reconnect's full rehydrate then sends the
        defaults, at once followed by this join's fresh copy (before, it sent the stale copy).
        """
        values = vars(self)
        for name in ROOM_FIELDS:
            if name not in self.dirty_vars:
                values.pop(name, None)

    @rx.event
    async def toggle_like(self, play_id: str):
        if (resync := self._lost(DancerRoomState.toggle_like(play_id))) is not None:
            yield resync
            return
        want = play_id not in self.liked
        before = list(self.liked)
        # Optimistic: the heart changes at once; the server's refusal turns it back.
        self.liked = [*before, play_id] if want else [p for p in before if p != play_id]
        key = self._start_saving("like", play_id)
        yield
        problem = await floor.like(self._session(), self.dancer_id, play_id, want)
        self._saved(key)
        if problem:
            self.liked = before
            yield notice.error(problem, id="action-refused")

    @rx.event
    async def submit_pin(self, form: dict):
        if (resync := self._lost(DancerRoomState.submit_pin(form))) is not None:
            yield resync
            return
        problem = await floor.unlock(self._session(), self.dancer_id, str(form.get("pin", "")))
        if problem:
            self.pin_error = problem
            return
        self.pin_error = ""
        self.locked = False
        yield DancerRoomState.join

    # The handlers below never read room fields (now_playing, poll, …): the server's copy of them
    # is stale after the first push. The page passes the ids a tap is about; the server checks them.

    @rx.event
    async def tap_tempo(self, play_id: str, choice: str):
        if (resync := self._lost(DancerRoomState.tap_tempo(play_id, choice))) is not None:
            yield resync
            return
        current = self.my_tempo["choice"] if self.my_tempo["play_id"] == play_id else ""
        new = "" if current == choice else choice
        before = dict(self.my_tempo)
        self.my_tempo = {"play_id": play_id, "choice": new}
        key = self._start_saving("tempo", play_id)
        yield
        problem = await floor.tempo(self._session(), self.dancer_id, play_id, new or None)
        self._saved(key)
        if problem:
            self.my_tempo = before
            yield notice.error(problem, id="action-refused")

    @rx.event
    async def vote(self, poll_id: int, option: int):
        if (resync := self._lost(DancerRoomState.vote(poll_id, option))) is not None:
            yield resync
            return
        if self.my_vote["poll_id"] == poll_id and self.my_vote["option"] >= 0:
            return
        self.my_vote = {"poll_id": poll_id, "option": option}
        key = self._start_saving("vote", poll_id)
        yield
        problem = await floor.vote(self._session(), self.dancer_id, poll_id, option)
        self._saved(key)
        if problem:
            mine = await floor.dancer_view(self._session(), self.dancer_id)
            self.my_vote = mine["my_vote"]
            yield notice.error(problem, id="action-refused")

    @rx.event
    async def thank_dj(self):
        if (resync := self._lost(DancerRoomState.thank_dj)) is not None:
            yield resync
            return
        problem = await floor.thank(self._session(), self.dancer_id)
        if problem:
            yield notice.error(problem, id="action-refused")
        else:
            yield notice.success("Thanks sent to the DJ!", id="thanks-sent")
