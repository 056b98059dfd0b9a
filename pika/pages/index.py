"""/: what Pika! is, and the way to the dance floor."""

from __future__ import annotations

import reflex as rx

from pika import routes
from pika.components.layout import brand, phone_page


def index_page() -> rx.Component:
    return phone_page(
        rx.hstack(brand(), width="100%"),
        rx.heading("The DJ booth and the dance floor, connected.", size="8"),
        rx.text(
            "See what is playing, like tracks, tell the DJ how the tempo feels and say thanks — from your phone.",
            size="4",
            color="var(--gray-11)",
        ),
        rx.link(rx.button("See who is live", size="4", width="100%"), href=routes.LOBBY, width="100%", id="to-lobby"),
    )
