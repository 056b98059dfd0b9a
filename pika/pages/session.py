"""/live/<session>: what a dancer sees — now playing, history, listeners, session state."""

from __future__ import annotations

import reflex as rx

from pika.components.floor import announcement_banner, heart, poll_card, tempo_bar, thanks_button
from pika.components.layout import brand, journal_link, phone_page, pill
from pika.components.plays import history_row, now_playing_card, waiting_card
from pika.domain import history
from pika.pages.session_state import DancerRoomState as S
from pika.services.rooms import block_field


def _header() -> rx.Component:
    return rx.hstack(
        brand(),
        rx.spacer(),
        rx.match(
            S.status,
            ("live", pill("● LIVE", "green", id="status-pill")),
            ("reconnecting", pill("Reconnecting…", "amber", id="status-pill")),
            ("ended", pill("Ended", "gray", id="status-pill")),
            rx.fragment(),
        ),
        rx.hstack(
            rx.icon("users", size=16),
            rx.text(S.listeners, id="listeners"),
            spacing="1",
            align="center",
            color="var(--gray-11)",
            title="Dancers here in the last 5 minutes",
        ),
        journal_link(),
        width="100%",
        align="center",
    )


def _title() -> rx.Component:
    return rx.vstack(
        rx.text(S.dj_name, size="2", color="var(--gray-11)", id="dj-name"),
        rx.heading(S.title, size="4", id="session-title"),
        spacing="0",
        align="start",
        width="100%",
    )


def _reconnecting_banner() -> rx.Component:
    return rx.callout(
        "The DJ's connection dropped. The music goes on; updates resume when they are back.",
        icon="wifi-off",
        color_scheme="amber",
        width="100%",
        id="reconnecting-banner",
    )


def _ended() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Session ended — thanks for dancing!", size="7", id="ended-message"),
            rx.text("See you on the floor next time.", color="var(--gray-11)"),
            rx.link(
                rx.button("See the recap", size="3", variant="soft"),
                href="/recap/" + rx.State.session_id,
                id="recap-link",
            ),
            spacing="3",
        ),
        size="4",
        width="100%",
        id="ended",
    )


def _block(key: str) -> rx.Component:
    likes = getattr(S, block_field("likes", key))
    return rx.foreach(getattr(S, block_field("history", key)), lambda row: history_row(row, heart(row["play_id"], likes=likes, size="2")))


def _older(head: int) -> rx.Component:
    return rx.fragment(*(_block(key) for key in history.ring_order(head)))


def _history() -> rx.Component:
    return rx.vstack(
        rx.text(
            rx.cond(S.status == "ended", "TONIGHT'S SET", "EARLIER"),
            size="1",
            weight="bold",
            color="var(--gray-10)",
            letter_spacing="0.12em",
        ),
        rx.cond(
            S.history_recent.length() > 0,  # the newest history row is always in the recent block
            rx.box(
                _block(history.RECENT),
                # Rows stay in the page's order (newest first) whichever slot of the ring is newest.
                rx.match(S.history_head, *((head, _older(head)) for head in range(history.SLOTS - 1)),
                         _older(history.SLOTS - 1)),
                width="100%",
                id="history",
            ),
            rx.text("Tracks played tonight will show up here.", color="var(--gray-10)", size="2"),
        ),
        width="100%",
        spacing="1",
    )


def _pin_gate() -> rx.Component:
    return rx.card(
        rx.form(
            rx.vstack(
                rx.heading("This session has a PIN", size="5"),
                rx.text("Enter the PIN the DJ shared. You only need to do this once.", color="var(--gray-11)"),
                rx.input(
                    name="pin",
                    placeholder="PIN",
                    type="password",
                    input_mode="numeric",
                    max_length=8,
                    auto_complete="off",
                    size="3",
                    width="100%",
                    id="pin-input",
                ),
                rx.cond(S.pin_error != "", rx.text(S.pin_error, color="var(--red-11)", id="pin-error")),
                rx.button("Join", type="submit", size="3", width="100%", id="pin-submit"),
                spacing="3",
            ),
            on_submit=S.submit_pin,
            reset_on_submit=True,
        ),
        width="100%",
        id="pin-gate",
    )


def _not_found() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("We can't find this session", size="6"),
            rx.text("Check the link or scan the QR code again."),
            rx.link("See who is live now →", href="/live"),
            spacing="3",
        ),
        width="100%",
        id="not-found",
    )


def session_page() -> rx.Component:
    return phone_page(
        _header(),
        rx.cond(
            S.found,
            rx.cond(
                S.locked,
                _pin_gate(),
                rx.cond(
                    S.version < 0,
                    rx.center(rx.spinner(size="3"), width="100%", padding="3rem"),
                    rx.fragment(
                        _title(),
                        rx.cond(S.status == "reconnecting", _reconnecting_banner()),
                        announcement_banner(),
                        rx.cond(
                            S.status == "ended",
                            _ended(),
                            rx.fragment(
                                rx.cond(
                                    S.now_playing["play_id"] != "",
                                    rx.fragment(
                                        now_playing_card(S.now_playing, heart(S.now_playing["play_id"], id="like-now")),
                                        tempo_bar(),
                                    ),
                                    waiting_card(),
                                ),
                                poll_card(),
                            ),
                        ),
                        _history(),
                        rx.cond(S.status != "ended", thanks_button()),
                    ),
                ),
            ),
            _not_found(),
        ),
    )
