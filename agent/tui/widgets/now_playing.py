"""The current play as sent to the floor, with the DJ's own marks on it."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from agent.core.detector import Play
from agent.core.marks import Mark


def describe(play: Play) -> Text:
    track = play.track
    text = Text(track.title or "Unknown title", style="bold")
    if track.version:
        text.append(f" ({track.version})")
    text.append("\n")
    text.append(track.artist or "Unknown artist", style="italic")
    facts = [f"{round(track.bpm)} BPM" if track.bpm else "", f"key {track.key}" if track.key else "",
             f"started {play.played_at.astimezone():%H:%M}"]
    text.append("\n" + " · ".join(f for f in facts if f), style="dim")
    return text


def describe_marks(marks: list[Mark]) -> Text:
    peaks = sum(m.kind == "peak" for m in marks)
    bricks = sum(m.kind == "brick" for m in marks)
    notes = [m.note for m in marks if m.kind == "note"]
    text = Text()
    if peaks:
        text.append(f"▲ peak ×{peaks}  ", style="bold green")
    if bricks:
        text.append(f"▼ brick ×{bricks}  ", style="bold red")
    if notes:
        text.append(f"✎ {notes[-1]}" + (f" (+{len(notes) - 1})" if len(notes) > 1 else ""), style="yellow")
    return text


class NowPlaying(Static):
    DEFAULT_CSS = """
    NowPlaying { height: auto; min-height: 5; border: round $accent; border-title-color: $accent; padding: 0 1; }
    """

    def on_mount(self) -> None:
        self.border_title = "Now playing"
        self.update(Text("Waiting for the first track…", style="dim"))

    def show(self, play: Play | None, marks: list[Mark], reading: str = "") -> None:
        if play is None:
            text = Text("Waiting for the first track…", style="dim")
        else:
            text = describe(play)
            mark_line = describe_marks(marks)
            if mark_line:
                text.append("\n")
                text.append_text(mark_line)
        if reading:
            text.append(f"\n{reading}", style="dim")
        self.update(text)
