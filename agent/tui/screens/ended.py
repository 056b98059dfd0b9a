"""After the set: a short summary, the DJ's marks, and what next."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static

from agent.core.client import SessionInfo
from agent.core.marks import Mark


def summary(session: SessionInfo, sent: int, marks: list[Mark]) -> Text:
    text = Text(f"Set “{session.title or session.id}” has ended — thanks for the music!\n\n", style="bold")
    text.append(f"{sent} track(s) went to the dancers. Recap: {session.join_url}\n")
    if marks:
        text.append("\nYour marks (kept on this laptop):\n", style="bold")
        for mark in marks:
            symbol = {"peak": "▲", "brick": "▼"}.get(mark.kind, "✎")
            text.append(f" {symbol} {mark.artist} — {mark.title}")
            text.append(f": {mark.note}\n" if mark.note else "\n", style="dim")
    return text


class EndedScreen(Screen):
    DEFAULT_CSS = """
    EndedScreen { align: center middle; }
    EndedScreen > Vertical { width: 80; max-width: 100%; height: auto; border: round $success; padding: 1 2; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("n", "new_set", "New set"), Binding("q", "app.quit", "Quit", show=False)]

    def __init__(self, session: SessionInfo, sent: int, marks: list[Mark]) -> None:
        super().__init__()
        self.session, self.sent, self.marks = session, sent, marks

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(summary(self.session, self.sent, self.marks), id="ended-summary")
        yield Footer(compact=True)

    def action_new_set(self) -> None:
        self.app.new_set()
