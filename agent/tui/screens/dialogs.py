"""Small modal dialogs: confirm, announcement, note, manual track entry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

DIALOG_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{ width: 72; max-width: 95%; height: auto; border: thick $accent; background: $surface; padding: 1 2; }}
{name} .title {{ width: 100%; text-style: bold; margin-bottom: 1; }}
{name} .problem {{ color: $error; height: auto; }}
{name} Horizontal {{ height: auto; }}
{name} Button {{ margin-right: 2; }}
{name} Input, {name} Select {{ margin-bottom: 1; }}
"""


class Dialog(ModalScreen):
    """Escape cancels (dismiss(None)); subclasses call self.dismiss(result)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def action_cancel(self) -> None:
        self.dismiss(None)

    def problem(self, message: str) -> None:
        self.query_one(".problem", Static).update(Text(message))


class FormDialog(Dialog):
    """A dialog with a submit button (id `SUBMIT`) and a cancel button; subclasses define submit()."""

    SUBMIT = "send"

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == self.SUBMIT:
            self.submit()
        else:
            self.dismiss(None)

    def submit(self) -> None:
        raise NotImplementedError


class ConfirmDialog(Dialog):
    DEFAULT_CSS = DIALOG_CSS.format(name="ConfirmDialog")

    def __init__(self, question: str, yes: str = "Yes", no: str = "No", *, default_yes: bool = False) -> None:
        super().__init__()
        self.question, self.yes, self.no, self.default_yes = question, yes, no, default_yes

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self.question), classes="title")
            with Horizontal():
                # A destructive "yes" is red and not the default; a harmless one is the default.
                yield Button(self.yes, variant="primary" if self.default_yes else "error", id="yes")
                yield Button(self.no, id="no")

    def on_mount(self) -> None:
        self.query_one("#yes" if self.default_yes else "#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


DURATIONS = [("Until I take it down", 0), ("5 minutes", 300), ("10 minutes", 600), ("15 minutes", 900),
             ("30 minutes", 1800), ("1 hour", 3600)]
ANNOUNCEMENT_MAX = 200


@dataclass(frozen=True)
class AnnouncementRequest:
    message: str
    duration_s: float | None


class AnnounceDialog(FormDialog):
    DEFAULT_CSS = DIALOG_CSS.format(name="AnnounceDialog")

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Announcement for the dancers' screens", classes="title")
            yield Input(placeholder="e.g. Last dance in 10 minutes!", max_length=ANNOUNCEMENT_MAX, id="message")
            yield Select(DURATIONS, value=0, allow_blank=False, id="duration")
            yield Static(classes="problem")
            with Horizontal():
                yield Button("Show it", variant="primary", id="send")
                yield Button("Cancel", id="cancel")

    def on_input_submitted(self) -> None:
        self.submit()

    def submit(self) -> None:
        message = self.query_one("#message", Input).value.strip()
        if not message:
            self.problem("Type a message first (1 to 200 characters).")
            return
        duration = self.query_one("#duration", Select).value
        self.dismiss(AnnouncementRequest(message, float(duration) if duration else None))


class TextDialog(Dialog):
    """One line of text (a note on the current track)."""

    DEFAULT_CSS = DIALOG_CSS.format(name="TextDialog")

    def __init__(self, title: str, placeholder: str = "", max_length: int = 500) -> None:
        super().__init__()
        self.title_text, self.placeholder, self.max_length = title, placeholder, max_length

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(Text(self.title_text), classes="title")
            yield Input(placeholder=self.placeholder, max_length=self.max_length, id="text")
            yield Static(classes="problem")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.dismiss(event.value.strip())
        else:
            self.problem("Nothing typed (Escape to cancel).")


@dataclass(frozen=True)
class ManualTrack:
    artist: str
    title: str


class ManualTrackDialog(FormDialog):
    DEFAULT_CSS = DIALOG_CSS.format(name="ManualTrackDialog")

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("What is playing now?", classes="title")
            yield Input(placeholder="Title", max_length=300, id="title")
            yield Input(placeholder="Artist", max_length=200, id="artist")
            yield Static(classes="problem")
            with Horizontal():
                yield Button("It's playing", variant="primary", id="send")
                yield Button("Cancel", id="cancel")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "title":
            self.query_one("#artist", Input).focus()
        else:
            self.submit()

    def submit(self) -> None:
        title = self.query_one("#title", Input).value.strip()
        if not title:
            self.problem("A title is needed.")
            return
        self.dismiss(ManualTrack(self.query_one("#artist", Input).value.strip(), title))
