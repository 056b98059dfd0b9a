"""What the DJ does from the live screen: polls, announcements, marks and notes, end the set.

A mixin of LiveScreen, kept apart so neither file grows past a screenful of concerns.
Each server call runs in a worker; a refusal is shown with the server's own sentence.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime

from textual import work

from agent.core.client import ApiError, Offline
from agent.core.crowd import Poll
from agent.core.remembered import forget_session
from agent.tui.screens.dialogs import (
    AnnounceDialog,
    AnnouncementRequest,
    ConfirmDialog,
    ManualTrack,
    ManualTrackDialog,
    TextDialog,
)
from agent.tui.screens.poll_dialog import PollDialog, PollRequest
from agent.tui.widgets.announcement import Announcement, AnnouncementPanel
from agent.tui.widgets.connection import ConnectionBar
from agent.tui.widgets.poll_panel import PollPanel

# Actions that make no sense yet are hidden from the footer (and their keys do nothing).
_NEEDS_SESSION = {"poll", "announce", "end_set", "close_poll", "cancel_announcement", "mark", "note"}


class FloorActions:
    # -- which shortcuts apply right now --------------------------------------

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in _NEEDS_SESSION and (self.session is None or self.ended):
            return False
        if action == "close_poll":
            return self.open_poll is not None
        if action == "cancel_announcement":
            return self.query_one(AnnouncementPanel).current is not None
        if action in ("mark", "note"):
            return self.current is not None
        if action == "type_track":
            return self.source.name == "manual" and not self.ended
        if action == "import_earlier":
            return bool(self.earlier) and self.session is not None
        return True

    @property
    def open_poll(self) -> Poll | None:
        poll = self.query_one(PollPanel).poll
        return poll if poll is not None and poll.open else None

    async def _call(self, what: str, coro):
        """Await one API call; on failure say what went wrong and return None."""
        try:
            return await coro
        except ApiError as exc:
            self.notify(f"Could not {what}: {exc.detail}", severity="error", timeout=10, markup=False)
        except Offline as exc:
            self.notify(f"Could not {what}: the server is unreachable ({exc}). Try again in a moment.",
                        severity="error", timeout=10, markup=False)
        return None

    # -- polls ------------------------------------------------------------------

    def action_poll(self) -> None:
        self.app.push_screen(PollDialog(), self._open_poll)

    def _open_poll(self, request: PollRequest | None) -> None:
        if request is not None:
            self.open_poll_worker(request)

    @work(exclusive=True, group="poll")
    async def open_poll_worker(self, request: PollRequest) -> None:
        body = await self._call("open the poll", self.app.client.open_poll(
            self.session.id, preset=request.preset, question=request.question,
            options=list(request.options) or None, duration_s=request.duration_s))
        if body is not None:
            self.query_one(PollPanel).show(Poll.parse(body), datetime.now(UTC))
            self.refresh_bindings()

    def action_close_poll(self) -> None:
        if self.open_poll is not None:
            self.close_poll_worker(self.open_poll.id)

    @work(exclusive=True, group="poll")
    async def close_poll_worker(self, poll_id: int) -> None:
        body = await self._call("close the poll", self.app.client.close_poll(self.session.id, poll_id))
        if body is not None:
            self.query_one(PollPanel).show(Poll.parse(body), datetime.now(UTC))
            self.refresh_bindings()

    # -- announcements ---------------------------------------------------------

    def action_announce(self) -> None:
        self.app.push_screen(AnnounceDialog(), self._announce)

    def _announce(self, request: AnnouncementRequest | None) -> None:
        if request is not None:
            self.announce_worker(request)

    @work(exclusive=True, group="announcement")
    async def announce_worker(self, request: AnnouncementRequest) -> None:
        body = await self._call("show the announcement",
                                self.app.client.announce(self.session.id, request.message, request.duration_s))
        if body is not None:
            self.query_one(AnnouncementPanel).show(Announcement.parse(body))
            self.refresh_bindings()

    def action_cancel_announcement(self) -> None:
        current = self.query_one(AnnouncementPanel).current
        if current is not None:
            self.cancel_announcement_worker(current.id)

    @work(exclusive=True, group="announcement")
    async def cancel_announcement_worker(self, announcement_id: int) -> None:
        body = await self._call("take the announcement down",
                                self.app.client.cancel_announcement(self.session.id, announcement_id))
        if body is not None:
            self.query_one(AnnouncementPanel).show(None)
            self.notify("Announcement taken down.", markup=False)
            self.refresh_bindings()

    def expire_announcement(self) -> None:
        """Called every few seconds: an announcement past its time is gone from the phones."""
        panel = self.query_one(AnnouncementPanel)
        if panel.current is not None and not panel.current.active(datetime.now(UTC)):
            panel.show(None)
            self.refresh_bindings()

    # -- the DJ's own marks --------------------------------------------------

    def action_mark(self, kind: str) -> None:
        if self.current is None or self.session is None:
            return
        track = self.current.track
        self.app.marks.add(self.session.id, self.current.play_id, track.artist, track.title, kind)
        self.notify(f"{'▲ Peak' if kind == 'peak' else '▼ Brick'} marked on “{track.title}” (kept on this laptop).", markup=False)
        self.show_now_playing()

    def action_note(self) -> None:
        if self.current is not None:
            self.app.push_screen(TextDialog(f"Note on “{self.current.track.title}”", "what worked, what didn't…"),
                                 self._note)

    def _note(self, text: str | None) -> None:
        if text and self.current is not None and self.session is not None:
            track = self.current.track
            self.app.marks.add(self.session.id, self.current.play_id, track.artist, track.title, "note", text)
            self.show_now_playing()

    # -- tracks typed by hand, and tonight's earlier plays ------------------------------

    def action_type_track(self) -> None:
        self.app.push_screen(ManualTrackDialog(), self._typed)

    def _typed(self, typed: ManualTrack | None) -> None:
        if typed is None or self.detection is None:
            return
        try:
            self.source.enter(typed.title, typed.artist)
        except ValueError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.detection.refresh()

    def action_import_earlier(self) -> None:
        if not self.earlier or self.detection is None or self.session is None:
            return
        plays = self.detection.import_plays(self.earlier)
        for play in plays:
            self.queue_play(play)
        self.notify(f"{len(plays)} earlier track(s) added to tonight's history." if plays
                    else "Those tracks are already part of tonight's set.", markup=False)
        self.earlier = []
        self.query_one("#offer").add_class("-empty")
        self.refresh_bindings()

    # -- ending -------------------------------------------------------------

    def action_end_set(self) -> None:
        question = "End the set? Dancers will see “Session ended — thanks for dancing!”."
        self.app.push_screen(ConfirmDialog(question, yes="End the set", no="Keep playing"), self._end_confirmed)

    def _end_confirmed(self, yes: bool | None) -> None:
        if yes:
            self.end_worker()

    @work(exclusive=True, group="end")
    async def end_worker(self) -> None:
        self.notify("Ending the set…", timeout=3, markup=False)
        # Deliver what is queued first: an ended set takes no more plays.
        if self.sender is not None:
            with contextlib.suppress(ApiError, Offline):  # offline: the count below says so
                await self.sender.flush()
        pending = self.app.outbox.count(self.session.id)
        if pending:
            self.notify(f"{pending} play(s) are still waiting for the server; the set stays live until they are "
                        "delivered. Try again once you are online.", severity="warning", timeout=15, markup=False)
            return
        if await self._call("end the set", self.app.client.end_session(self.session.id)) is not None:
            self.finish()

    def finish(self) -> None:
        """The set is over (ended here or on the server): stop everything, forget it, say so."""
        self.ended = True
        self.stop_detection()
        self.workers.cancel_group(self, "sender")
        self.workers.cancel_group(self, "crowd")
        forget_session(self.app.config.session_file)
        self.query_one(ConnectionBar).session = "set ended"
        self.app.set_ended(self.session, self.app.marks.for_session(self.session.id))

    def action_quit_agent(self) -> None:
        self.app.exit()
