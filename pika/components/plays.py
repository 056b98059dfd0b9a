"""How a play is shown: the big now-playing card and the history rows."""

from __future__ import annotations

import reflex as rx


def now_playing_card(play: rx.Var, action: rx.Component | None = None) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.text("NOW PLAYING", size="1", weight="bold", color="var(--amber-11)", letter_spacing="0.12em"),
                rx.spacer(),
                action or rx.fragment(),
                width="100%",
                align="center",
            ),
            rx.heading(play["title"], size="8", weight="bold", id="now-title", line_height="1.1"),
            rx.cond(
                play["version"] != "",
                rx.text(play["version"], size="4", color="var(--gray-11)", id="now-version"),
            ),
            rx.text(play["artist"], size="6", color="var(--gray-12)", id="now-artist"),
            rx.hstack(
                rx.cond(play["bpm"] != "", rx.badge(play["bpm"], " BPM", size="3", variant="surface", id="now-bpm")),
                rx.cond(play["key"] != "", rx.badge("Key ", play["key"], size="3", variant="surface", id="now-key")),
                spacing="2",
            ),
            spacing="2",
            align="start",
        ),
        size="3",
        width="100%",
        id="now-playing",
    )


def waiting_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Waiting for the first track…", size="6"),
            rx.text("It appears here the moment the DJ starts playing.", color="var(--gray-11)"),
            spacing="2",
        ),
        size="3",
        width="100%",
        id="waiting",
    )


def history_row(play: rx.Var, action: rx.Component | None = None) -> rx.Component:
    return rx.hstack(
        rx.vstack(
            rx.text(play["full_title"], weight="bold", size="3", class_name="history-title"),
            rx.text(play["artist"], size="2", color="var(--gray-11)"),
            spacing="0",
            align="start",
            flex="1",
            min_width="0",
        ),
        rx.vstack(
            rx.text(rx.moment(play["played_at"], from_now=True, interval=30_000), size="1", color="var(--gray-10)"),
            rx.cond(play["bpm"] != "", rx.text(play["bpm"], " BPM", size="1", color="var(--gray-10)")),
            spacing="0",
            align="end",
        ),
        action or rx.fragment(),
        width="100%",
        align="center",
        padding_y="0.6rem",
        border_bottom="1px solid var(--gray-4)",
        class_name="history-row",
    )
