"""The open poll (or the one that just closed) with live tallies from the crowd feed."""

from __future__ import annotations

from datetime import datetime

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Static

from agent.core.crowd import Poll

BAR = 20


def time_left(closes_at: str, now: datetime) -> str:
    if not closes_at:
        return "open until you close it"
    try:
        left = (datetime.fromisoformat(closes_at) - now).total_seconds()
    except (ValueError, TypeError):
        return ""
    if left <= 0:
        return "closing…"
    minutes, seconds = divmod(int(left), 60)
    return f"{minutes}:{seconds:02d} left"


def poll_text(poll: Poll, now: datetime) -> Text:
    text = Text(poll.question, style="bold")
    text.append(f"\n{poll.total} vote{'s' if poll.total != 1 else ''} · ", style="dim")
    if poll.open:
        text.append(time_left(poll.closes_at, now), style="dim")
    elif poll.winners:
        names = " / ".join(poll.options[i] for i in poll.winners)
        text.append(("tie: " if len(poll.winners) > 1 else "winner: ") + names, style="bold green")
    else:
        text.append("closed, no votes", style="dim")
    width = max((cell_len(o) for o in poll.options), default=0)  # emoji take two cells
    for i, (option, count, pct) in enumerate(zip(poll.options, poll.counts, poll.percents, strict=True)):
        filled = round(BAR * pct / 100)
        style = "bold green" if i in poll.winners and not poll.open else "cyan"
        text.append(f"\n{option}{' ' * (width - cell_len(option))} ")
        text.append("█" * filled + "░" * (BAR - filled), style=style)
        text.append(f" {pct:>3}% ({count})")
    return text


class PollPanel(Static):
    DEFAULT_CSS = """
    PollPanel { height: auto; border: round $primary; border-title-color: $primary; padding: 0 1; }
    PollPanel.-empty { display: none; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.poll: Poll | None = None
        self.add_class("-empty")

    def on_mount(self) -> None:
        self.border_title = "Poll"

    def show(self, poll: Poll | None, now: datetime) -> None:
        self.poll = poll
        self.set_class(poll is None, "-empty")
        if poll is not None:
            self.border_title = "Poll — live" if poll.open else "Poll — closed"
            self.update(poll_text(poll, now))
