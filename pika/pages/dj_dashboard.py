"""/dj: the signed-in DJ's sets, newest first, each with its agent-connection timeline."""

from __future__ import annotations

import dataclasses

import reflex as rx
from starlette.concurrency import run_in_threadpool

from pika import routes
from pika.components.forms import csrf_field, form_error, post_form
from pika.components.layout import brand, phone_page, pill
from pika.db import session_scope
from pika.models import DJ
from pika.pages.dj_state import CsrfState, signed_in_dj
from pika.services.web_accounts import past_sets
from pika.web.messages import message_for


@dataclasses.dataclass
class TimelineRow:
    kind: str
    at: str
    detail: str


@dataclasses.dataclass
class SetRow:
    id: str
    title: str
    status: str
    started_at: str
    ended_at: str
    recap_href: str
    timeline: list[TimelineRow]


def _sets(dj: DJ) -> list[SetRow]:
    with session_scope() as db:
        return [
            SetRow(id=s.id, title=s.title, status=s.status, started_at=s.started_at.isoformat(),
                   ended_at=s.ended_at.isoformat() if s.ended_at else "", recap_href=routes.recap_path(s.id),
                   timeline=[TimelineRow(e.kind, e.at.isoformat(), e.detail) for e in events])
            for s, events in past_sets(db, dj)
        ]


class DashboardState(rx.State):
    dj_name: str = ""
    sets: list[SetRow] = []
    loaded: bool = False
    error: str = ""

    @rx.event
    async def load(self):
        dj = await signed_in_dj(self)
        if dj is None:
            self.loaded = False
            self.sets = []
            return rx.redirect(routes.DJ_SIGN_IN)
        self.dj_name = dj.display_name
        self.error = message_for(self.router.url.query_parameters.get("error", ""))
        self.sets = await run_in_threadpool(_sets, dj)
        self.loaded = True
        return None



def _when(iso) -> rx.Component:
    return rx.moment(iso, format="ddd D MMM YYYY, HH:mm")


def _timeline_row(row: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.text(rx.moment(row.at, format="HH:mm:ss"), size="1", color="var(--gray-10)", min_width="4.5rem"),
        rx.text(row.kind, size="2", weight="bold"),
        rx.text(row.detail, size="1", color="var(--gray-11)", trim="both"),
        spacing="2",
        align="baseline",
        class_name="timeline-row",
    )


def _set_card(s: rx.Var) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.text(s.title, weight="bold", size="4"),
                rx.spacer(),
                rx.match(s.status, ("live", pill("● LIVE", "green")), ("reconnecting", pill("Reconnecting", "amber")),
                         pill(s.status, "gray")),
                width="100%",
                align="center",
            ),
            rx.text("Started ", _when(s.started_at), size="2", color="var(--gray-11)"),
            rx.cond(s.ended_at != "", rx.text("Ended ", _when(s.ended_at), size="2", color="var(--gray-11)")),
            rx.text("AGENT CONNECTION", size="1", weight="bold", color="var(--gray-10)", letter_spacing="0.12em",
                    margin_top="0.5rem"),
            rx.vstack(rx.foreach(s.timeline, _timeline_row), spacing="1", width="100%"),
            rx.link("Recap", href=s.recap_href, size="2"),
            spacing="1",
            width="100%",
            align="start",
        ),
        width="100%",
        class_name="dj-set",
    )


def sign_out_form() -> rx.Component:
    return post_form(
        csrf_field(CsrfState.token),
        rx.button("Sign out", type="submit", variant="soft", color_scheme="gray", size="2", id="sign-out"),
        action=routes.AUTH_SIGN_OUT,
        id="sign-out-form",
        width="auto",
    )


def dj_header() -> rx.Component:
    return rx.hstack(brand(), rx.spacer(), sign_out_form(), width="100%", align="center")


def dashboard_page() -> rx.Component:
    return phone_page(
        dj_header(),
        form_error(DashboardState.error),
        rx.cond(
            DashboardState.loaded,
            rx.vstack(
                rx.heading("Hi, ", DashboardState.dj_name, size="7", id="dj-greeting"),
                rx.link(rx.button(rx.icon("key-round", size=16), "API tokens for the agent", variant="surface",
                                  size="3", width="100%"), href=routes.DJ_TOKENS, width="100%", id="to-tokens"),
                rx.heading("Your sets", size="5", margin_top="0.5rem"),
                rx.cond(
                    DashboardState.sets.length() > 0,
                    rx.vstack(rx.foreach(DashboardState.sets, _set_card), spacing="3", width="100%", id="dj-sets"),
                    rx.text("No sets yet. Start the agent with one of your API tokens to go live.",
                            color="var(--gray-11)", id="no-sets"),
                ),
                spacing="3",
                width="100%",
            ),
            rx.center(rx.spinner(), width="100%"),
        ),
    )
