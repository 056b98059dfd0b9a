"""/live/<session>/qr: a projectable join screen with a big QR code."""

from __future__ import annotations

import reflex as rx

from pika import routes
from pika.domain.ids import is_session_id


class QrState(rx.State):
    join_url: str = ""
    image_url: str = ""

    @rx.event
    def load(self):
        session_id = self.rx_router_page.params.get("session_id", "")
        if is_session_id(session_id):
            self.join_url = routes.join_url(session_id)
            self.image_url = routes.qr_image_url(session_id)


def qr_page() -> rx.Component:
    return rx.center(
        rx.vstack(
            rx.heading("Scan to join the floor", size="9", text_align="center"),
            rx.cond(
                QrState.image_url != "",
                rx.box(
                    rx.image(src=QrState.image_url, width="min(70vh, 80vw)", height="auto", alt="QR code", id="qr-image"),
                    background="white",
                    padding="1.5rem",
                    border_radius="1rem",
                ),
            ),
            rx.text(QrState.join_url, size="6", weight="bold", color="var(--amber-11)", id="join-url"),
            rx.text("Like tracks, tell the DJ about the tempo, and say thanks.", size="4", color="var(--gray-11)"),
            align="center",
            spacing="5",
        ),
        min_height="100dvh",
        background="var(--gray-1)",
        padding="2rem",
    )
