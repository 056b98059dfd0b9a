"""/live: the sessions that are live right now."""

from __future__ import annotations

import reflex as rx
from starlette.concurrency import run_in_threadpool

from pika import routes
from pika.components.layout import brand, phone_page, pill
from pika.db import session_scope
from pika.realtime.hub import hub
from pika.services.rooms import lobby_entries


def _entries() -> list[dict]:
    with session_scope() as db:
        return lobby_entries(db)


class LobbyState(rx.State):
    sessions: list[dict[str, str]] = []
    loaded: bool = False

    @rx.event
    async def load(self):
        # Leaving a session page: stop receiving that room's pushes.
        await hub.leave(self.router.session.session_id)
        entries = await run_in_threadpool(_entries)
        for entry in entries:
            entry["listeners"] = str(await hub.store.listener_count(entry["id"]))
            entry["href"] = routes.session_path(entry["id"])
        self.sessions = entries
        self.loaded = True


def _session_card(entry: rx.Var) -> rx.Component:
    return rx.link(
        rx.card(
            rx.vstack(
                rx.hstack(
                    rx.text(entry["dj_name"], weight="bold", size="4"),
                    rx.spacer(),
                    rx.cond(entry["status"] == "live", pill("● LIVE", "green"), pill("Reconnecting…", "amber")),
                    width="100%",
                ),
                rx.text(entry["title"], size="2", color="var(--gray-11)"),
                rx.cond(entry["now_playing"] != "", rx.text("♪ ", entry["now_playing"], size="3")),
                rx.cond(entry["locked"] != "", rx.hstack(rx.icon("lock", size=14), rx.text("PIN required", size="2"),
                                                          align="center", spacing="1", color="var(--gray-11)")),
                rx.hstack(rx.icon("users", size=14), rx.text(entry["listeners"], size="2"), color="var(--gray-11)",
                          align="center", spacing="1"),
                spacing="2",
                align="start",
            ),
            width="100%",
            class_name="lobby-session",
        ),
        href=entry["href"],
        underline="none",
        width="100%",
    )


def lobby_page() -> rx.Component:
    return phone_page(
        rx.hstack(brand(), width="100%"),
        rx.heading("Live now", size="7"),
        rx.cond(
            LobbyState.sessions.length() > 0,
            rx.vstack(rx.foreach(LobbyState.sessions, _session_card), width="100%", spacing="3", id="lobby-list"),
            rx.cond(
                LobbyState.loaded,
                rx.text("Nobody is live right now. Check back when the music starts!", color="var(--gray-11)",
                        id="lobby-empty"),
                rx.spinner(),
            ),
        ),
    )
