"""Page chrome for the dancer app: dark, large type, one column sized for a phone."""

from __future__ import annotations

import reflex as rx

from pika import routes


def brand() -> rx.Component:
    return rx.link(
        rx.hstack(rx.text("⚡", size="5"), rx.heading("Pika!", size="5", weight="bold"), spacing="1", align="center"),
        href=routes.LOBBY,
        underline="none",
        color="var(--amber-11)",
    )


def journal_link() -> rx.Component:
    return rx.link(rx.icon("heart", size=18), href=routes.JOURNAL, color="var(--gray-11)", aria_label="Tracks I liked",
                   id="journal-link")


def phone_page(*children: rx.Component, **props) -> rx.Component:
    return rx.box(
        rx.vstack(*children, spacing="4", width="100%", max_width="34rem", margin_x="auto", padding="1rem"),
        min_height="100dvh",
        background="var(--gray-1)",
        **props,
    )


def pill(text, color: str = "gray", **props) -> rx.Component:
    return rx.badge(text, color_scheme=color, variant="soft", radius="full", size="2", **props)
