"""Forms that really post to the server, and the pieces every DJ-account form shares."""

from __future__ import annotations

import reflex as rx
from reflex_base.vars.base import Var
from reflex_components_core.el.elements.base import BaseHTML

from pika.web.csrf import CSRF_FIELD


class PostForm(BaseHTML):
    """A plain HTML form posting to `/auth/...`. (rx.form always cancels the browser's own submit
    to send a socket event instead; these posts must be real HTTP, to set HttpOnly cookies.)"""

    tag = "form"
    action: Var[str]
    method: Var[str]


def post_form(*children, action: str, **props) -> rx.Component:
    props.setdefault("width", "100%")
    return PostForm.create(*children, action=action, method="post", **props)


def csrf_field(token: Var) -> rx.Component:
    return rx.el.input(type="hidden", name=CSRF_FIELD, value=token)


def form_error(message: Var, **props) -> rx.Component:
    return rx.cond(
        message != "",
        rx.callout(message, icon="triangle-alert", color_scheme="red", size="2", width="100%", role="alert", **props),
    )


def labelled(label: str, control: rx.Component, hint: str = "") -> rx.Component:
    return rx.el.label(
        rx.vstack(
            rx.text(label, size="2", weight="bold"),
            control,
            rx.cond(hint != "", rx.text(hint, size="1", color="var(--gray-10)")),
            spacing="1",
            width="100%",
        ),
        width="100%",
    )
