"""Pick where the tracks come from: the DJ software found on this laptop, a path, or manual entry."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from agent.core.detect_installed import Installed, detect_installed, make_source
from agent.core.sources import SOURCES
from agent.core.sources.base import Source

MANUAL = "manual"


def found_option(item: Installed) -> Option:
    prompt = Text(item.label, style="bold")
    prompt.append(f"  {item.path}", style="dim")
    return Option(prompt, id=item.name)


def pick_source(name: str, path: str | None) -> Source:
    """A source ready to watch, or ValueError saying what is missing."""
    source = make_source(name, path or None)
    if name != MANUAL and source.detect() is None:
        where = path or ", ".join(str(p) for p in source.default_paths()) or "its usual places"
        raise ValueError(f"No {source.label} data found at {where}.")
    return source


class SourceScreen(Screen):
    DEFAULT_CSS = """
    SourceScreen > VerticalScroll { padding: 1 2; }
    SourceScreen .title { text-style: bold; margin: 1 0; }
    SourceScreen OptionList { height: auto; max-height: 12; margin-bottom: 1; }
    SourceScreen Horizontal { height: auto; }
    SourceScreen #kind { width: 30; }
    SourceScreen #path { width: 1fr; }
    SourceScreen #source-message { height: auto; margin: 1 0; }
    SourceScreen #source-message.-problem { color: $error; text-style: bold; }
    """

    def compose(self) -> ComposeResult:
        config = self.app.config
        kinds = [(cls.label, name) for name, cls in SOURCES.items() if name != MANUAL]
        yield Header()
        with VerticalScroll():
            yield Label("Set title (optional, shown to dancers)", classes="title")
            yield Input(placeholder="e.g. Friday late night", max_length=120, id="set-title")
            yield Label("Where does your music play from?", classes="title")
            yield OptionList(Option("Looking for DJ software…", disabled=True), id="found")
            yield Label("…or point at a folder or file yourself:", classes="title")
            with Horizontal():
                yield Select(kinds, value=config.source if config.source in SOURCES and config.source != MANUAL
                             else next(iter(SOURCES)), allow_blank=False, id="kind")
                yield Input(config.path or "", placeholder="path to the history folder or file", id="path")
                yield Button("Use this path", id="use-path")
            yield Static(id="source-message")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.find_software()

    def say(self, message: str, *, problem: bool = False) -> None:
        widget = self.query_one("#source-message", Static)
        widget.update(Text(message))  # server sentences and paths may hold [brackets]
        widget.set_class(problem, "-problem")

    @work(thread=True, exclusive=True, group="detect")
    def find_software(self) -> None:
        # Disk look-ups (network drives, big folders) stay off the UI thread.
        try:
            found = detect_installed()
        except Exception as exc:  # a strange folder must not stop the DJ from going live
            found = []
            self.app.call_from_thread(self.say, f"Auto-detection failed: {exc}", problem=True)
        self.app.call_from_thread(self.show_found, found)

    def show_found(self, found: list[Installed]) -> None:
        options = self.query_one("#found", OptionList)
        options.clear_options()
        options.add_options([found_option(item) for item in found])
        options.add_option(Option(Text("Manual entry — type each track as you play it"), id=MANUAL))
        preferred = self.app.config.source
        ids = [item.name for item in found] + [MANUAL]
        options.highlighted = ids.index(preferred) if preferred in ids else 0
        options.focus()
        if not found:
            self.say("No DJ software found in the usual places: give a path below, or use manual entry.")
        if self.app.auto_source:
            self.app.auto_source = False  # once: coming back here later means the DJ wants to choose
            self.choose(self.app.config.source or MANUAL, self.app.config.path)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.choose(event.option.id, None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self._use_path()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "path":
            self._use_path()
        else:
            self.query_one("#found", OptionList).focus()

    def _use_path(self) -> None:
        path = self.query_one("#path", Input).value.strip()
        if not path:
            self.say("Type the path first (or pick from the list above).", problem=True)
            return
        self.choose(str(self.query_one("#kind", Select).value), str(Path(path).expanduser()))

    def choose(self, name: str, path: str | None) -> None:
        try:
            source = pick_source(name, path)
        except ValueError as exc:
            self.say(str(exc), problem=True)
            return
        config = self.app.config
        config.source, config.path = name, path
        config.save()
        self.app.go_live(source, self.query_one("#set-title", Input).value.strip())
