"""/dj/tokens: the DJ's API tokens for the agent — create, regenerate, revoke; a new one shown once.

Mutations are socket events, each checked like a form post: the session cookie from the socket's
handshake (re-validated against the database), the CSRF field against the CSRF cookie, and the
token's owner. Only the token's SHA-256 goes to the database.

The raw token of a new or regenerated token passes through this state, which lives in Redis in
production. So it is kept in a backend-only field, shown only to the page view (socket) that made
it, and cleared when the DJ dismisses it, leaves the page (the card unmounts) or loads it again.
"""

from __future__ import annotations

import dataclasses

import reflex as rx
from starlette.concurrency import run_in_threadpool

from pika import routes
from pika.components.forms import csrf_field, form_error, labelled
from pika.components.layout import phone_page, pill
from pika.db import session_scope
from pika.domain.limits import TOKEN_REGENERATE
from pika.models import DJ
from pika.pages.dj_dashboard import dj_header
from pika.pages.dj_state import CsrfState, csrf_ok, signed_in_dj
from pika.realtime.hub import hub
from pika.services import accounts, web_accounts
from pika.services.errors import ServiceError
from pika.web.messages import FORM_EXPIRED

LABEL_MAX = 80


@dataclasses.dataclass
class TokenRow:
    id: int
    label: str
    created_at: str
    last_used_at: str
    revoked_at: str


def _rows(dj: DJ) -> list[TokenRow]:
    with session_scope() as db:
        return [
            TokenRow(t.id, t.label or "(no label)", t.created_at.isoformat(),
                     t.last_used_at.isoformat() if t.last_used_at else "",
                     t.revoked_at.isoformat() if t.revoked_at else "")
            for t in reversed(accounts.list_tokens(db, dj))
        ]


def _create(dj: DJ, label: str) -> str:
    with session_scope() as db:
        return accounts.issue_token(db, dj, label=label)[1]


def _regenerate(dj: DJ, token_id: int) -> tuple[str, str]:
    with session_scope() as db:
        token, raw = web_accounts.regenerate_token(db, dj, token_id)
        return token.label, raw


def _revoke(dj: DJ, token_id: int) -> None:
    with session_scope() as db:
        accounts.revoke_token(db, dj, token_id)


def _token_id(form_data: dict) -> int:
    value = str(form_data.get("token_id", ""))
    return int(value) if value.isdigit() and len(value) < 12 else 0


class TokensState(rx.State):
    tokens: list[TokenRow] = []
    loaded: bool = False
    error: str = ""
    notice: str = ""
    new_token_label: str = ""
    # The row asking "are you sure?" before a revoke or a regenerate: "revoke:<id>" / "regenerate:<id>".
    confirming: str = ""
    # Backend-only (never in a state delta); see the module docstring.
    _new_token: str = ""
    _new_token_socket: str = ""

    @rx.var(cache=False)
    def shown_token(self) -> str:
        """The new raw token, for the page view that made it only (a reload is a new socket)."""
        if self._new_token and self._new_token_socket == self.router.session.session_id:
            return self._new_token
        return ""

    def _forget_new_token(self) -> None:
        self._new_token = ""
        self._new_token_socket = ""
        self.new_token_label = ""

    def _reveal(self, label: str, raw: str) -> None:
        self._new_token, self._new_token_socket = raw, self.router.session.session_id
        self.new_token_label = label or "(no label)"

    async def _dj_for(self, form_data: dict | None) -> DJ | None:
        """The signed-in DJ if this action may go ahead; otherwise sets the page's error."""
        self.error = self.notice = self.confirming = ""
        dj = await signed_in_dj(self)
        if dj is None:
            self.loaded = False
            self.tokens = []
            self._forget_new_token()
            return None
        if form_data is not None and not csrf_ok(self, form_data):
            self.error = FORM_EXPIRED
            return None
        return dj

    async def _refresh(self, dj: DJ) -> None:
        self.tokens = await run_in_threadpool(_rows, dj)

    @rx.event
    async def load(self):
        self._forget_new_token()
        dj = await self._dj_for(None)
        if dj is None:
            return rx.redirect(routes.DJ_SIGN_IN)
        await self._refresh(dj)
        self.loaded = True
        return None

    @rx.event
    async def create(self, form_data: dict):
        self._forget_new_token()
        if (dj := await self._dj_for(form_data)) is None:
            return rx.redirect(routes.DJ_SIGN_IN) if not self.error else None
        label = str(form_data.get("label", "")).strip()
        if len(label) > LABEL_MAX:
            self.error = f"The label can be at most {LABEL_MAX} characters."
            return None
        self._reveal(label, await run_in_threadpool(_create, dj, label))
        await self._refresh(dj)
        return None

    @rx.event
    def ask(self, what: str):
        """First step of a revoke or a regenerate: the row asks before anything changes."""
        self.confirming = what
        self.error = self.notice = ""

    @rx.event
    def cancel_ask(self):
        self.confirming = ""

    @rx.event
    async def regenerate(self, form_data: dict):
        self._forget_new_token()
        self.confirming = ""
        verdict = await hub.store.limiter.hit(TOKEN_REGENERATE, self.router.session.client_ip)
        if not verdict.allowed:
            minutes = max(1, round(verdict.retry_after / 60))
            self.error = f"Too many new tokens from your network. Please try again in about {minutes} min."
            return None
        if (dj := await self._dj_for(form_data)) is None:
            return rx.redirect(routes.DJ_SIGN_IN) if not self.error else None
        try:
            self._reveal(*await run_in_threadpool(_regenerate, dj, _token_id(form_data)))
        except ServiceError as exc:
            self.error = exc.detail
        await self._refresh(dj)
        return None

    @rx.event
    async def revoke(self, form_data: dict):
        if (dj := await self._dj_for(form_data)) is None:
            return rx.redirect(routes.DJ_SIGN_IN) if not self.error else None
        try:
            await run_in_threadpool(_revoke, dj, _token_id(form_data))
            self.notice = "Token revoked: the agent using it is signed out."
        except ServiceError as exc:
            self.error = exc.detail
        await self._refresh(dj)
        return None

    @rx.event
    def dismiss(self):
        self._forget_new_token()


def _new_token_card() -> rx.Component:
    return rx.cond(
        TokensState.shown_token != "",
        rx.card(
            rx.vstack(
                rx.text("NEW TOKEN · ", TokensState.new_token_label, size="1", weight="bold", color="var(--amber-11)",
                        letter_spacing="0.12em"),
                rx.code(TokensState.shown_token, size="3", word_break="break-all", id="new-token"),
                rx.callout("Copy it now: it will not be shown again. Paste it into the agent when it asks.",
                           icon="eye-off", color_scheme="amber", size="1", width="100%"),
                rx.hstack(
                    rx.button(rx.icon("copy", size=16), "Copy", on_click=rx.set_clipboard(TokensState.shown_token),
                              size="3", id="copy-token"),
                    rx.button("Done", on_click=TokensState.dismiss, variant="soft", color_scheme="gray", size="3",
                              id="dismiss-token"),
                    spacing="2",
                ),
                spacing="3",
                width="100%",
            ),
            width="100%",
            id="new-token-card",
            # Leaving the page (in-app navigation) forgets the raw token too.
            on_unmount=TokensState.dismiss,
        ),
    )


REVOKE_QUESTION = "Revoke this token? The agent using it is signed out at once and stops sending tracks."
REGENERATE_QUESTION = "Regenerate this token? The old one stops working at once: paste the new one into the agent."


def _confirm(question: str, label: str, handler, token_id: rx.Var, **props) -> rx.Component:
    """The second step: the question, then the form that does it (with its CSRF field) or Cancel."""
    return rx.form(
        csrf_field(CsrfState.token),
        rx.el.input(type="hidden", name="token_id", value=token_id.to_string()),
        rx.vstack(
            rx.text(question, size="2", class_name="confirm-question"),
            rx.hstack(
                rx.button(label, type="submit", size="2", **props),
                rx.button("Cancel", type="button", size="2", variant="soft", color_scheme="gray",
                          on_click=TokensState.cancel_ask, class_name="cancel"),
                spacing="2",
            ),
            spacing="2",
        ),
        on_submit=handler,
        width="100%",
    )


def _row_actions(token: rx.Var) -> rx.Component:
    revoke_key = "revoke:" + token.id.to_string()
    regenerate_key = "regenerate:" + token.id.to_string()
    return rx.cond(
        TokensState.confirming == revoke_key,
        _confirm(REVOKE_QUESTION, "Yes, revoke", TokensState.revoke, token.id, color_scheme="red",
                 class_name="confirm-revoke"),
        rx.cond(
            TokensState.confirming == regenerate_key,
            _confirm(REGENERATE_QUESTION, "Yes, regenerate", TokensState.regenerate, token.id,
                     class_name="confirm-regenerate"),
            rx.hstack(
                rx.button("Regenerate", size="1", variant="soft", on_click=TokensState.ask(regenerate_key),
                          class_name="regenerate"),
                rx.button("Revoke", size="1", variant="soft", color_scheme="red",
                          on_click=TokensState.ask(revoke_key), class_name="revoke"),
                spacing="2",
            ),
        ),
    )


def _token_row(token: rx.Var) -> rx.Component:
    revoked = token.revoked_at != ""
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.text(token.label, weight="bold", size="3"),
                rx.spacer(),
                rx.cond(revoked, pill("revoked", "red"), pill("active", "green")),
                width="100%",
                align="center",
            ),
            rx.text("Created ", rx.moment(token.created_at, format="D MMM YYYY, HH:mm"), size="1",
                    color="var(--gray-11)"),
            rx.text("Last used ", rx.cond(token.last_used_at != "", rx.moment(token.last_used_at, from_now=True),
                                          "never"), size="1", color="var(--gray-11)"),
            rx.cond(revoked, rx.text("Revoked ", rx.moment(token.revoked_at, format="D MMM YYYY, HH:mm"), size="1",
                                     color="var(--gray-11)")),
            rx.cond(~revoked, _row_actions(token)),
            spacing="1",
            width="100%",
            align="start",
        ),
        width="100%",
        class_name="token-row",
    )


def tokens_page() -> rx.Component:
    create_form = rx.form(
        rx.vstack(
            csrf_field(CsrfState.token),
            labelled("Label", rx.input(name="label", id="label-input", placeholder="e.g. MacBook at the venue",
                                       max_length=LABEL_MAX, size="3", width="100%"),
                     "So you know which laptop uses it."),
            rx.button("Create token", type="submit", size="3", width="100%", id="create-token"),
            spacing="3",
            width="100%",
        ),
        on_submit=TokensState.create,
        reset_on_submit=True,
        width="100%",
    )
    return phone_page(
        dj_header(),
        rx.hstack(rx.link("← Your sets", href=routes.DJ_HOME, size="2"), width="100%"),
        rx.heading("API tokens", size="7"),
        rx.text("The agent on your laptop signs in with one of these. Revoke a token if a laptop is lost.",
                size="2", color="var(--gray-11)"),
        form_error(TokensState.error, id="tokens-error"),
        rx.cond(TokensState.notice != "", rx.callout(TokensState.notice, icon="check", color_scheme="green",
                                                      size="2", width="100%")),
        _new_token_card(),
        rx.cond(
            TokensState.loaded,
            rx.vstack(
                create_form,
                rx.vstack(rx.foreach(TokensState.tokens, _token_row), spacing="2", width="100%", id="token-list"),
                spacing="4",
                width="100%",
            ),
            rx.center(rx.spinner(), width="100%"),
        ),
    )
