"""The floor at a glance: likes on the current play, the tempo gauge, listeners, thank-yous."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from agent.core.crowd import Crowd, Tempo

GAUGE_WIDTH = 30


def tempo_gauge(tempo: Tempo, width: int = GAUGE_WIDTH) -> Text:
    """One bar split slower | perfect | faster by the votes on the current play."""
    if not tempo.total:
        return Text("no tempo votes yet", style="dim")
    parts = [(tempo.slower, "blue"), (tempo.perfect, "green"), (tempo.faster, "red")]
    cells = [round(width * n / tempo.total) for n, _ in parts]
    cells[1] += width - sum(cells)  # rounding leftovers go to the middle
    bar = Text()
    for (_, colour), n in zip(parts, cells, strict=True):
        bar.append("█" * max(0, n), style=colour)
    bar.append(
        f"\n◀ slower {tempo.slower_pct}%  ● perfect {tempo.perfect_pct}%  faster {tempo.faster_pct}% ▶  ({tempo.total})"
    )
    return bar


def floor_text(crowd: Crowd) -> Text:
    text = Text()
    text.append(f"♥ {crowd.likes_current}", style="bold magenta")
    text.append(" on this track", style="dim")
    text.append(f"   {crowd.likes_total} tonight", style="dim")
    text.append(f"\n👥 {crowd.listeners}", style="bold")
    text.append(" listening", style="dim")
    text.append(f"   🙏 {crowd.thanks_total}", style="bold")
    text.append(" thank-yous\n", style="dim")
    text.append_text(tempo_gauge(crowd.tempo))
    return text


class FloorPanel(Static):
    DEFAULT_CSS = """
    FloorPanel { height: auto; min-height: 6; border: round $secondary; border-title-color: $secondary; padding: 0 1; }
    """

    def on_mount(self) -> None:
        self.border_title = "The floor"
        self.update(Text("Waiting for the floor…", style="dim"))

    def show(self, crowd: Crowd) -> None:
        self.border_subtitle = ""
        self.update(floor_text(crowd))

    def stale(self) -> None:
        """The feed is unreachable: keep the numbers, but say they are not live."""
        self.border_subtitle = "offline — last known"
