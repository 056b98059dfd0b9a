"""The live screen: open (or continue) the session, deliver plays, and show the floor.
Watching the DJ software is in track_feed; floor actions (polls, announcements, marks,
end) are in floor_actions.

Threads and workers: the watcher thread (agent.core.live) reaches this screen only through
post_message; the Sender and the crowd feed run as Textual workers on the app's loop and
reconnect forever; every API call the DJ triggers runs in its own worker.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from agent.core.client import ApiError, Offline, SessionInfo
from agent.core.crowd import Crowd, follow
from agent.core.detector import Play
from agent.core.live import LiveDetection
from agent.core.remembered import RememberedSession, save_session
from agent.core.sender import Sender, SendStatus
from agent.core.sources.base import Source
from agent.core.track import DetectedTrack
from agent.tui.messages import (
    CrowdProblem,
    CrowdUpdate,
    DeliveryStatus,
)
from agent.tui.screens.dialogs import ConfirmDialog
from agent.tui.screens.floor_actions import FloorActions
from agent.tui.screens.track_feed import TrackFeed
from agent.tui.widgets.announcement import AnnouncementPanel
from agent.tui.widgets.connection import ConnectionBar
from agent.tui.widgets.floor import FloorPanel
from agent.tui.widgets.join_qr import JoinQR
from agent.tui.widgets.now_playing import NowPlaying
from agent.tui.widgets.poll_panel import PollPanel
from agent.tui.widgets.rain import ThanksRain

log = logging.getLogger(__name__)
RETRY_OPEN_S = 5.0


def problem_text(exc: Exception) -> str:
    if isinstance(exc, ApiError):
        if exc.status == 401:
            return f"The server refused your token (401): {exc.detail} Quit and sign in again."
        if exc.status == 403:
            return f"Not allowed (403): {exc.detail}"
        return exc.detail
    return str(exc)


class LiveScreen(TrackFeed, FloorActions, Screen):
    DEFAULT_CSS = """
    LiveScreen #main { height: 1fr; }
    LiveScreen #right { width: 1fr; padding: 0 1; }
    LiveScreen #offer { height: auto; background: $boost; color: $warning; padding: 0 1; margin-bottom: 1; }
    LiveScreen #offer.-empty { display: none; }
    LiveScreen #source-status { height: auto; color: $text-muted; padding: 0 1; }
    LiveScreen #source-status.-problem { color: $error; }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("p", "poll", "Poll"),
        Binding("c", "close_poll", "Close poll"),
        Binding("a", "announce", "Announce"),
        Binding("x", "cancel_announcement", "Take down"),
        Binding("u", "mark('peak')", "Peak"),
        Binding("b", "mark('brick')", "Brick"),
        Binding("n", "note", "Note"),
        Binding("t", "type_track", "Type track"),
        Binding("i", "import_earlier", "Import earlier"),
        Binding("e", "end_set", "End set"),
        Binding("q", "quit_agent", "Quit", show=False),  # ctrl+q is in the footer already
    ]

    def __init__(self, source: Source, title: str) -> None:
        super().__init__()
        self.source = source
        self.title_wanted = title
        self.session: SessionInfo | None = None
        self.sender: Sender | None = None
        self.detection: LiveDetection | None = None
        self.current: Play | None = None
        self.crowd: Crowd | None = None
        self.earlier: list[DetectedTrack] = []
        self.waiting: list[Play] = []  # detected before the session was known
        self.last_reading = ""
        self.ended = False

    def compose(self) -> ComposeResult:
        yield ConnectionBar()
        with Horizontal(id="main"):
            yield JoinQR()
            with VerticalScroll(id="right"):
                yield NowPlaying()
                yield Static(id="offer", classes="-empty")
                yield FloorPanel()
                yield ThanksRain()
                yield PollPanel()
                yield AnnouncementPanel()
                yield Static(id="source-status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(ConnectionBar).session = "opening the set…"
        self.query_one("#source-status", Static).update(f"Watching {self.source.label}…")
        self.start_detection()
        self.go_live()
        self.set_interval(5, self.expire_announcement)

    def on_unmount(self) -> None:
        self.stop_detection()

    # -- session ------------------------------------------------------------

    @work(exclusive=True, group="session")
    async def go_live(self) -> None:
        session = await self._resume() or await self._open()
        self.session = session
        app = self.app
        save_session(app.config.session_file, RememberedSession(
            app.config.server, session.id, session.title, session.join_url, app.dj.get("slug", "")))
        self.query_one(JoinQR).show(session.title, session.join_url)
        self.query_one(ConnectionBar).session = f"set {session.id}"
        self.sender = Sender(app.client, app.outbox, session.id,
                             on_status=lambda status: self.post_message(DeliveryStatus(status)))
        for play in self.waiting:
            self.queue_play(play)
        self.waiting.clear()
        self.deliver()
        self.watch_floor()
        self.refresh_bindings()

    async def _resume(self) -> SessionInfo | None:
        """Continue the set this laptop was driving, if the DJ wants to."""
        app = self.app
        remembered = app.remembered_for(app.config.server)
        if remembered is None or (remembered.dj_slug and app.dj.get("slug") not in (None, remembered.dj_slug)):
            return None
        as_offline = SessionInfo(remembered.session_id, remembered.title, "live", remembered.join_url, "")
        if app.offline_start:
            return as_offline  # no server to ask: keep queueing for the set we know
        question = f"Continue “{remembered.title or remembered.session_id}” from earlier on this laptop?"
        if not await app.push_screen_wait(ConfirmDialog(question, yes="Continue it", no="Start a new set",
                                                        default_yes=True)):
            return None
        try:
            session = await app.client.get_session(remembered.session_id)
        except Offline:
            return as_offline
        except ApiError as exc:
            self.notify(f"Could not continue that set: {problem_text(exc)}", severity="warning", markup=False)
            return None
        if session.status == "ended":
            self.notify("That set has ended; opening a new one.", severity="warning", markup=False)
            return None
        return session

    async def _open(self) -> SessionInfo:
        """Open a new session; while the server is unreachable, keep trying."""
        bar = self.query_one(ConnectionBar)
        while True:
            try:
                return await self.app.client.open_session(self.title_wanted)
            except Offline as exc:
                bar.online, bar.detail = False, f"cannot open the set yet: {exc}"
            except ApiError as exc:
                bar.online, bar.detail = True, problem_text(exc)
                self.notify(problem_text(exc), severity="error", timeout=30, markup=False)
                if exc.status in (401, 403):
                    await asyncio.Event().wait()  # the DJ must act (quit, new token); nothing to retry
            await asyncio.sleep(RETRY_OPEN_S)

    # -- delivery and the floor ---------------------------------------------

    @work(exclusive=True, group="sender")
    async def deliver(self) -> None:
        assert self.sender is not None
        while True:
            try:
                await self.sender.run(heartbeat_every=self.app.tuning.heartbeat_s)
            except ApiError as exc:  # 401/403/404: retrying cannot help
                self.post_message(DeliveryStatus(SendStatus(True, self.app.outbox.count(self.sender.session_id),
                                                            problem_text(exc))))
                self.notify(problem_text(exc), severity="error", timeout=60, markup=False)
                return
            except Exception as exc:  # an agent bug must not stop delivery for the night
                log.exception("sender stopped")
                self.post_message(DeliveryStatus(SendStatus(False, 0, f"agent problem: {exc}")))
                await asyncio.sleep(RETRY_OPEN_S)

    @work(exclusive=True, group="crowd")
    async def watch_floor(self) -> None:
        assert self.session is not None
        with contextlib.suppress(ApiError):  # reported through CrowdProblem already
            await follow(self.app.client, self.session.id, lambda c: self.post_message(CrowdUpdate(c)),
                         lambda e: self.post_message(CrowdProblem(e)), every_s=self.app.tuning.crowd_every_s)

    def on_delivery_status(self, message: DeliveryStatus) -> None:
        bar = self.query_one(ConnectionBar)
        bar.online, bar.pending = message.status.online, message.status.pending
        if self.session is not None:
            bar.refused = self.app.outbox.count(self.session.id, "rejected")
        bar.detail = message.status.last_error or ""

    def on_crowd_update(self, message: CrowdUpdate) -> None:
        crowd = self.crowd = message.crowd
        self.query_one(FloorPanel).show(crowd)
        self.query_one(PollPanel).show(crowd.poll, datetime.now(UTC))
        if crowd.thanks_since:
            self.query_one(ThanksRain).rain(crowd.thanks_since)
        if crowd.status == "ended" and not self.ended:
            self.notify("The server says this set has ended.", severity="warning", markup=False)
            self.finish()
        self.refresh_bindings()

    def on_crowd_problem(self, message: CrowdProblem) -> None:
        if isinstance(message.error, Offline):
            self.query_one(FloorPanel).stale()
        elif message.error.status in (401, 403, 404):
            self.query_one(ConnectionBar).detail = problem_text(message.error)
