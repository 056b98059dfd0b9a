"""Always-visible connection line: online/offline, plays waiting on disk, the last problem."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static


class ConnectionBar(Static):
    DEFAULT_CSS = """
    ConnectionBar { dock: top; height: 1; padding: 0 1; background: $panel; }
    ConnectionBar.-online { background: $success-darken-2; }
    ConnectionBar.-offline { background: $error-darken-1; }
    """

    online: reactive[bool | None] = reactive(None)  # None: not known yet
    pending = reactive(0)
    refused = reactive(0)  # plays the server refused for good (kept in the outbox with the reason)
    detail = reactive("")
    session = reactive("")

    def render(self) -> Text:
        if self.online is None:
            line = Text("◌ CONNECTING…", style="bold")
        elif self.online:
            line = Text("● ONLINE", style="bold")
        else:
            line = Text("○ OFFLINE — retrying", style="bold")
        line.append(f" · {self.pending} queued" if self.pending else " · nothing queued")
        if self.refused:
            line.append(f" · {self.refused} refused by the server", style="bold")
        if self.session:
            line.append(f" · {self.session}")
        if self.detail:
            line.append(f" · {self.detail}", style="italic")
        return line

    def watch_online(self, online: bool | None) -> None:
        self.set_class(online is True, "-online")
        self.set_class(online is False, "-offline")
