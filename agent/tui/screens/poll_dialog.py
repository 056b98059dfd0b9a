"""Open a poll: one of the presets, or the DJ's own question and options."""

from __future__ import annotations

import re
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Select, Static

from agent.tui.screens.dialogs import DIALOG_CSS, FormDialog

# The server's presets (PRODUCT §5); the server owns their questions and options.
PRESETS = [("vibe", "Vibe check"), ("tempo", "Tempo check"), ("roles", "Leaders or followers?"),
           ("style", "Next style?")]
DURATIONS = [("Until I close it", 0), ("30 seconds", 30), ("1 minute", 60), ("2 minutes", 120),
             ("5 minutes", 300), ("10 minutes", 600), ("30 minutes", 1800)]
QUESTION_MAX, OPTION_MAX, OPTIONS_MIN, OPTIONS_MAX = 200, 80, 2, 10


@dataclass(frozen=True)
class PollRequest:
    preset: str | None = None
    question: str | None = None
    options: tuple[str, ...] = ()
    duration_s: float | None = None


def split_options(text: str) -> list[str]:
    """Options typed on one line, separated by commas or slashes."""
    return [o.strip() for o in re.split(r"[,/\n]", text) if o.strip()]


def custom_problem(question: str, options: list[str]) -> str | None:
    """The same bounds the server applies, said before the round trip."""
    if not 1 <= len(question) <= QUESTION_MAX:
        return f"The question must be 1 to {QUESTION_MAX} characters."
    if not OPTIONS_MIN <= len(options) <= OPTIONS_MAX:
        return f"Give {OPTIONS_MIN} to {OPTIONS_MAX} options, separated by commas."
    if any(len(o) > OPTION_MAX for o in options):
        return f"Each option must be at most {OPTION_MAX} characters."
    if len({o.casefold() for o in options}) != len(options):
        return "The options must be different from each other."
    return None


class PollDialog(FormDialog):
    SUBMIT = "open"
    DEFAULT_CSS = DIALOG_CSS.format(name="PollDialog") + """
    PollDialog RadioSet { width: 100%; margin-bottom: 1; }
    PollDialog #custom { height: auto; }
    PollDialog #custom.-hidden { display: none; }
    """

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Open a poll (it replaces any open poll)", classes="title")
            with RadioSet(id="kind"):
                for index, (name, label) in enumerate(PRESETS):
                    yield RadioButton(label, value=index == 0, name=name, id=f"kind-{name}")
                yield RadioButton("My own question…", name="custom", id="kind-custom")
            with Vertical(id="custom", classes="-hidden"):
                yield Input(placeholder="Question", max_length=QUESTION_MAX, id="question")
                yield Input(placeholder="Options, separated by commas", id="options")
            yield Select(DURATIONS, value=0, allow_blank=False, id="duration")
            yield Static(classes="problem")
            with Horizontal():
                yield Button("Open poll", variant="primary", id="open")
                yield Button("Cancel", id="cancel")

    def _kind(self) -> str:
        pressed = self.query_one(RadioSet).pressed_button
        return pressed.name if pressed is not None and pressed.name else "vibe"

    def on_radio_set_changed(self) -> None:
        custom = self._kind() == "custom"
        self.query_one("#custom").set_class(not custom, "-hidden")
        if custom:
            self.query_one("#question", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "question":
            self.query_one("#options", Input).focus()
        else:
            self.submit()

    def submit(self) -> None:
        duration = self.query_one("#duration", Select).value
        duration_s = float(duration) if duration else None
        kind = self._kind()
        if kind != "custom":
            self.dismiss(PollRequest(preset=kind, duration_s=duration_s))
            return
        question = self.query_one("#question", Input).value.strip()
        options = split_options(self.query_one("#options", Input).value)
        problem = custom_problem(question, options)
        if problem:
            self.problem(problem)
            return
        self.dismiss(PollRequest(question=question, options=tuple(options), duration_s=duration_s))
