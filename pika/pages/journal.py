"""/me/likes: the tracks this phone liked, grouped by session (no account needed)."""

from __future__ import annotations

import reflex as rx
from starlette.concurrency import run_in_threadpool

from pika.components.layout import brand, phone_page
from pika.db import session_scope
from pika.services.interactions import is_dancer_id, journal


def _journal(dancer_id: str) -> list[dict]:
    with session_scope() as db:
        return journal(db, dancer_id)


class JournalState(rx.State):
    # The same browser storage key as the dancer page: one anonymous dancer per browser.
    dancer_id: str = rx.LocalStorage("", name="pika_dancer_id", sync=True)
    sessions: list[dict] = []
    loaded: bool = False

    @rx.event
    async def load(self):
        valid = is_dancer_id(self.dancer_id)
        self.sessions = await run_in_threadpool(_journal, self.dancer_id) if valid else []
        self.loaded = True


def _group(group: rx.Var) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.link(rx.heading(group["title"].to(str), size="4"), href="/recap/" + group["session_id"].to(str)),
            rx.text(group["dj_name"].to(str), " · ", rx.moment(group["date"].to(str), format="D MMM YYYY"), size="2",
                    color="var(--gray-11)"),
            rx.foreach(group["tracks"].to(list[dict[str, str]]), lambda t: rx.hstack(
                rx.icon("heart", size=14, color="var(--ruby-11)"),
                rx.text(t["title"], weight="bold", size="2"), rx.text(t["artist"], size="2", color="var(--gray-11)"),
                align="center", spacing="2", class_name="journal-track")),
            spacing="2", width="100%",
        ),
        width="100%",
    )


def journal_page() -> rx.Component:
    return phone_page(
        rx.hstack(brand(), width="100%"),
        rx.heading("Tracks you liked", size="7"),
        rx.cond(
            JournalState.sessions.length() > 0,
            rx.vstack(rx.foreach(JournalState.sessions, _group), width="100%", spacing="3", id="journal"),
            rx.cond(JournalState.loaded,
                    rx.text("Tap ♥ on a track during a set and it shows up here — on this phone, no account needed.",
                            color="var(--gray-11)", id="journal-empty"),
                    rx.spinner()),
        ),
    )
