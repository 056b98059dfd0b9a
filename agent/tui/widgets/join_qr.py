"""The join link and its QR code, drawn dark-on-light so any phone camera reads it."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from agent.core.qr import qr_text


class JoinQR(Vertical):
    DEFAULT_CSS = """
    JoinQR { width: auto; height: auto; padding: 0 1; }
    JoinQR #qr { width: auto; height: auto; background: white; color: black; padding: 0 1; }  /* wider quiet zone */
    JoinQR #join-url { width: auto; max-width: 60; color: $accent; text-style: bold; }
    JoinQR #session-title { width: auto; text-style: bold; }
    """

    def compose(self) -> ComposeResult:
        yield Static("Opening your set…", id="session-title")
        yield Static(id="qr")
        yield Static(id="join-url")

    def show(self, title: str, join_url: str) -> None:
        self.query_one("#session-title", Static).update(Text(title or "Live set"))
        self.query_one("#qr", Static).update(Text(qr_text(join_url), no_wrap=True))
        self.query_one("#join-url", Static).update(Text(join_url))
