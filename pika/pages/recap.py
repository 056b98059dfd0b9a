"""/recap/<session>: the public, shareable recap of a set."""

from __future__ import annotations

import reflex as rx
from starlette.concurrency import run_in_threadpool

from pika.components.layout import brand, phone_page
from pika.db import session_scope
from pika.domain.ids import is_session_id
from pika.services.errors import NotFound
from pika.services.recap import recap
from pika.services.sessions import get_session


def _load(session_id: str) -> dict | None:
    with session_scope() as db:
        try:
            return recap(db, get_session(db, session_id))
        except NotFound:
            return None


class RecapState(rx.State):
    found: bool = True
    loaded: bool = False
    title: str = ""
    dj_name: str = ""
    date: str = ""
    duration: str = ""
    status: str = ""
    tracks: list[dict[str, str | int]] = []
    peak: dict[str, str | int] = {}
    polls: list[dict] = []
    total_likes: int = 0
    thanks: int = 0

    @rx.event
    async def load(self):
        session_id = self.rx_router_page.params.get("session_id", "")
        data = await run_in_threadpool(_load, session_id) if is_session_id(session_id) else None
        self.loaded = True
        self.found = data is not None
        if data is None:
            return
        for name in ("title", "dj_name", "date", "duration", "status", "tracks", "polls", "total_likes", "thanks"):
            setattr(self, name, data[name])
        self.peak = data["peak"] or {}


def _stat(label: str, value) -> rx.Component:
    return rx.vstack(rx.text(value, size="6", weight="bold"), rx.text(label, size="1", color="var(--gray-10)"),
                     spacing="0", align="center", flex="1")


def _track_row(track: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.text(rx.moment(track["played_at"].to(str), format="HH:mm"), size="2", color="var(--gray-10)", width="3rem"),
        rx.vstack(rx.text(track["title"], weight="bold", size="3"), rx.text(track["artist"], size="2", color="var(--gray-11)"),
                  spacing="0", flex="1", min_width="0"),
        rx.hstack(rx.icon("heart", size=14), rx.text(track["likes"], size="2"), spacing="1", align="center",
                  color="var(--ruby-11)"),
        width="100%", align="center", padding_y="0.5rem", border_bottom="1px solid var(--gray-4)",
        class_name="recap-track",
    )


def _poll(poll: rx.Var) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(poll["question"].to(str), weight="bold"),
            rx.foreach(poll["options"].to(list[dict[str, str | int]]),
                       lambda o: rx.hstack(rx.text(o["label"]), rx.spacer(), rx.text(o["count"], " · ", o["percent"], "%"),
                                           width="100%", size="2")),
            rx.text("Result: ", poll["winners"].to(str), size="2", color="var(--amber-11)"),
            spacing="1", width="100%",
        ),
        width="100%", class_name="recap-poll",
    )


def recap_page() -> rx.Component:
    return phone_page(
        rx.hstack(brand(), width="100%"),
        rx.cond(
            RecapState.found,
            rx.cond(
                RecapState.loaded,
                rx.fragment(
                    rx.vstack(
                        rx.text(RecapState.dj_name, size="3", color="var(--amber-11)", id="recap-dj"),
                        rx.heading(RecapState.title, size="7", id="recap-title"),
                        rx.text(rx.moment(RecapState.date, format="dddd D MMMM YYYY"), " · ", RecapState.duration,
                                size="2", color="var(--gray-11)"),
                        spacing="1", width="100%",
                    ),
                    rx.hstack(_stat("tracks", RecapState.tracks.length()), _stat("likes", RecapState.total_likes),
                              _stat("thank-yous", RecapState.thanks), width="100%", id="recap-stats"),
                    rx.cond(
                        RecapState.peak.contains("title"),
                        rx.card(rx.vstack(
                            rx.text("PEAK OF THE NIGHT", size="1", weight="bold", color="var(--amber-11)",
                                    letter_spacing="0.12em"),
                            rx.heading(RecapState.peak["title"].to(str), size="5"),
                            rx.text(RecapState.peak["artist"].to(str), " · ", RecapState.peak["likes"].to(str), " likes"),
                            spacing="1"), width="100%", id="recap-peak"),
                    ),
                    rx.vstack(rx.text("THE SET", size="1", weight="bold", color="var(--gray-10)", letter_spacing="0.12em"),
                              rx.foreach(RecapState.tracks, _track_row), width="100%", spacing="0", id="recap-tracks"),
                    rx.cond(RecapState.polls.length() > 0,
                            rx.vstack(rx.text("POLLS", size="1", weight="bold", color="var(--gray-10)",
                                              letter_spacing="0.12em"),
                                      rx.foreach(RecapState.polls, _poll), width="100%", spacing="2")),
                ),
                rx.center(rx.spinner(size="3"), width="100%", padding="3rem"),
            ),
            rx.card(rx.text("We can't find this session."), width="100%", id="not-found"),
        ),
    )
