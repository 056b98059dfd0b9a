"""Sign in: the server's address and the DJ's API token, checked with GET /me.

The token is saved (owner-only file in the config folder) only once the server has
accepted it. A refused token is said plainly, with the server's own words.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Label, Static

from agent.core.client import ApiError, Offline, PikaClient
from agent.core.config import check_server_url
from agent.core.token_store import load_token, save_token


def refusal(exc: ApiError) -> str:
    if exc.status == 401:
        return f"The server refused this token (401): {exc.detail}"
    if exc.status == 403:
        return f"This token may not drive sessions (403): {exc.detail}"
    return f"The server said no ({exc.status}): {exc.detail}"


class SignInScreen(Screen):
    DEFAULT_CSS = """
    SignInScreen { align: center middle; }
    SignInScreen > Vertical { width: 76; max-width: 100%; height: auto; border: round $accent; padding: 1 2; }
    SignInScreen .title { text-style: bold; margin-bottom: 1; }
    SignInScreen Input { margin-bottom: 1; }
    SignInScreen #signin-message { height: auto; margin-bottom: 1; }
    SignInScreen #signin-message.-problem { color: $error; text-style: bold; }
    SignInScreen Horizontal { height: auto; }
    SignInScreen Button { margin-right: 2; }
    SignInScreen #offline { display: none; }
    SignInScreen #offline.-shown { display: block; }
    """

    def compose(self) -> ComposeResult:
        config = self.app.config
        yield Header()
        with Vertical():
            yield Label("Sign in to Pika!", classes="title")
            yield Label("Server address")
            yield Input(config.server, placeholder="https://pika.example.com", id="server")
            yield Label("DJ token (from your dashboard; starts with pk_dj_)")
            yield Input(load_token(config.config_dir) or "", password=True, placeholder="pk_dj_…", id="token")
            yield Static(id="signin-message")
            with Horizontal():
                yield Button("Sign in", variant="primary", id="sign-in")
                yield Button("Continue offline", id="offline")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        if self.query_one("#token", Input).value:
            self.check()  # a saved token: straight on, unless the server refuses it
        else:
            self.query_one("#token", Input).focus()

    def say(self, message: str, *, problem: bool = False) -> None:
        widget = self.query_one("#signin-message", Static)
        widget.update(Text(message))  # server sentences and paths may hold [brackets]
        widget.set_class(problem, "-problem")

    def on_input_submitted(self) -> None:
        self.check()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "offline":
            self.app.continue_offline(self.query_one("#token", Input).value.strip())
        else:
            self.check()

    @work(exclusive=True, group="sign-in")
    async def check(self) -> None:
        token = self.query_one("#token", Input).value.strip()
        try:
            server = check_server_url(self.query_one("#server", Input).value)
        except ValueError as exc:
            self.say(str(exc), problem=True)
            return
        if not token:
            self.say("Paste your DJ token to sign in.", problem=True)
            return
        self.say(f"Checking your token with {server}…")
        client = PikaClient(server, token, timeout=10)
        try:
            dj = await client.me()
        except ApiError as exc:
            await client.close()
            self.say(refusal(exc), problem=True)
            self.query_one("#token", Input).focus()
            return
        except Offline as exc:
            await client.close()
            self.say(f"Cannot reach {server}: {exc}. Check the address and the Wi-Fi, then try again.", problem=True)
            self.query_one("#offline").set_class(self.app.remembered_for(server) is not None, "-shown")
            return
        save_token(self.app.config.config_dir, token)
        self.app.config.server = server
        self.app.config.save()
        self.app.signed_in(client, dj if isinstance(dj, dict) else {})
