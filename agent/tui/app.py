"""The Pika! agent app: one make_app() factory for the CLI and the tests.

Flow: SignInScreen → SourceScreen → LiveScreen → EndedScreen (→ SourceScreen for a new set).
The app holds what outlives a screen: settings, the API client, the on-disk outbox and marks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType

from agent.core.client import PikaClient, SessionInfo
from agent.core.config import AgentConfig
from agent.core.marks import Mark, Marks
from agent.core.outbox import Outbox
from agent.core.remembered import RememberedSession, load_session
from agent.core.sources.base import Source
from agent.core.watcher import ObserverKind
from agent.tui.screens.ended import EndedScreen
from agent.tui.screens.live import LiveScreen
from agent.tui.screens.signin import SignInScreen
from agent.tui.screens.source import SourceScreen


@dataclass(frozen=True)
class Tuning:
    """Timings; the defaults suit a real set, tests shorten them."""

    settle_s: float = 3.0  # a new track must still be there this long later (no flicker)
    poll_s: float = 2.0  # safety re-read of the DJ software
    debounce_s: float = 0.4
    crowd_every_s: float = 1.0  # PRODUCT §4: the floor reaches the DJ within 2 s
    heartbeat_s: float = 30.0
    observer: ObserverKind = "native"


class PikaAgent(App):
    TITLE = "Pika! agent"
    ENABLE_COMMAND_PALETTE = False  # one less thing to trip over in a dark booth
    # Textual's own ctrl+q is hidden; a DJ on a form screen (where "q" types a q) must see it.
    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+q", "quit", "Quit", priority=True)]

    def __init__(self, config: AgentConfig, *, tuning: Tuning | None = None, auto_source: bool = False) -> None:
        super().__init__()
        self.config = config
        self.tuning = tuning or Tuning()
        self.auto_source = auto_source  # the command line named the source: skip the picker
        self.client: PikaClient | None = None
        self.dj: dict = {}
        self.offline_start = False
        self.outbox: Outbox | None = None
        self.marks: Marks | None = None

    def on_mount(self) -> None:

        self.outbox = Outbox(self.config.outbox_path)
        self.marks = Marks(self.config.marks_path)
        self.sub_title = self.config.server
        self.push_screen(SignInScreen())

    async def on_unmount(self) -> None:
        if self.client is not None:
            await self.client.close()
        for store in (self.outbox, self.marks):
            if store is not None:
                store.close()

    def remembered_for(self, server: str) -> RememberedSession | None:
        return load_session(self.config.session_file, server)

    def signed_in(self, client: PikaClient, dj: dict) -> None:

        self.client, self.dj, self.offline_start = client, dj, False
        self.sub_title = f"{dj.get('display_name') or 'DJ'} · {self.config.server}"
        self.switch_screen(SourceScreen())

    def continue_offline(self, token: str) -> None:
        """The server is unreachable but this laptop was driving a set: keep it going, queue plays."""

        self.client = PikaClient(self.config.server, token, timeout=10)
        self.dj, self.offline_start = {}, True
        self.switch_screen(SourceScreen())

    def go_live(self, source: Source, title: str) -> None:

        self.switch_screen(LiveScreen(source, title))

    def set_ended(self, session: SessionInfo, marks: list[Mark]) -> None:

        assert self.outbox is not None
        self.switch_screen(EndedScreen(session, self.outbox.count(session.id, "sent"), marks))

    def new_set(self) -> None:

        self.offline_start = False
        self.switch_screen(SourceScreen())


def make_app(config: AgentConfig | None = None, *, tuning: Tuning | None = None, auto_source: bool = False) -> PikaAgent:
    return PikaAgent(config or AgentConfig.load(), tuning=tuning, auto_source=auto_source)
