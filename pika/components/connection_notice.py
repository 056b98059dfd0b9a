"""The app's overlay: Reflex's connection pulser and toaster, plus a plain sentence when the server
refused the socket because too many phones joined from one network (realtime/connect_limit.py).

Without it a dancer would read "Cannot connect to server: … Check if server is reachable at
ws://…" — true of a dead server, wrong for one that is merely asking them to wait a few seconds.
"""

from __future__ import annotations

import reflex as rx
from reflex_base.components.memo import memo
from reflex_components_core.core.banner import connection_error, connection_pulser, connection_toaster

from pika.components.notice import notice_toaster
from pika.realtime.connect_limit import REFUSAL_OPENING


def _busy_notice() -> rx.Component:
    return rx.callout(
        connection_error,  # the server's sentence, with the wait in seconds (refreshed at each retry)
        icon="hourglass",
        color_scheme="amber",
        variant="surface",
        size="2",
        # Opaque, above the page header it covers while the page waits (a soft callout is see-through).
        background="var(--gray-2)",
        box_shadow="0 0.5rem 1.5rem rgba(0, 0, 0, 0.5)",
        role="status",
        id="connect-refused",
        position="fixed",
        top="0.75rem",
        left="0.75rem",
        right="0.75rem",
        z_index="60",
    )


def _overlay() -> rx.Component:
    return rx.fragment(
        connection_pulser(),
        notice_toaster(),  # handlers' toasts, delivered without eval (components/notice.py)
        rx.cond(connection_error.to(str).startswith(REFUSAL_OPENING), _busy_notice(), connection_toaster()),
    )


def connection_overlay() -> rx.Component:
    # Memoised like Reflex's default overlay, so a connection error re-renders only this piece.
    return rx.fragment(memo(_overlay)())


def install(app: rx.App) -> None:
    """Put this overlay in the app wrap Reflex keeps for its default one (same slot, same order)."""
    app.app_wraps[(5, "Overlay")] = lambda stateful: connection_overlay() if stateful else None
