"""/dj/sign-in and /dj/sign-up: forms that post to /auth (pika/web/routes.py)."""

from __future__ import annotations

import reflex as rx

from pika import routes
from pika.components.forms import csrf_field, form_error, labelled, post_form
from pika.components.layout import brand, phone_page
from pika.domain.passwords import PASSWORD_MAX, PASSWORD_MIN
from pika.pages.dj_state import CsrfState, signed_in_dj
from pika.settings import get_settings
from pika.web.messages import NOTICES, message_for


class AuthFormState(rx.State):
    error: str = ""
    notice: str = ""
    # Given back by a failed post so the DJ does not type them again (the password never is).
    email: str = ""
    name: str = ""
    slug: str = ""
    loaded: bool = False
    oidc_enabled: bool = False
    oidc_label: str = ""

    @rx.event
    async def load(self):
        if await signed_in_dj(self) is not None:
            return rx.redirect(routes.DJ_HOME)
        query = self.router.url.query_parameters
        self.error = message_for(query.get("error", ""))
        self.notice = NOTICES.get(query.get("notice", ""), "")
        self.email, self.name, self.slug = (query.get(k, "")[:254] for k in ("email", "name", "slug"))
        settings = get_settings()
        self.oidc_enabled = settings.oidc_enabled
        self.oidc_label = settings.oidc_label
        self.loaded = True
        return None


def _input(name: str, **props) -> rx.Component:
    return rx.input(name=name, id=f"{name}-input", size="3", width="100%", **props)


def _page(title: str, form: rx.Component, footer: rx.Component) -> rx.Component:
    return phone_page(
        rx.hstack(brand(), width="100%"),
        rx.heading(title, size="7"),
        rx.cond(AuthFormState.notice != "", rx.callout(AuthFormState.notice, icon="info", size="2", width="100%")),
        form_error(AuthFormState.error, id="form-error"),
        # Rendered once the page's state is here, so the fields start with the values given back.
        rx.cond(AuthFormState.loaded, form, rx.center(rx.spinner(), width="100%")),
        footer,
    )


def sign_in_page() -> rx.Component:
    form = rx.vstack(
        post_form(
            rx.vstack(
                csrf_field(CsrfState.token),
                labelled("E-mail", _input("email", type="email", auto_complete="email", required=True,
                                          default_value=AuthFormState.email)),
                labelled("Password", _input("password", type="password", auto_complete="current-password",
                                            required=True, max_length=PASSWORD_MAX)),
                rx.button("Sign in", type="submit", size="3", width="100%", id="sign-in-submit"),
                spacing="4",
                width="100%",
            ),
            action=routes.AUTH_SIGN_IN,
            id="sign-in-form",
        ),
        rx.cond(
            AuthFormState.oidc_enabled,
            # A plain link, not client-side routing: the OIDC round trip is served by the API app.
            rx.el.a(rx.button(AuthFormState.oidc_label, variant="outline", size="3", width="100%"),
                    # A full page load: the route is the server's, not a page of the app.
                    href=routes.OIDC_START, width="100%", id="oidc-sign-in", reload_document=True),
        ),
        spacing="4",
        width="100%",
    )
    footer = rx.text("New here? ", rx.link("Create a DJ account", href=routes.DJ_SIGN_UP, id="to-sign-up"),
                     size="3", color="var(--gray-11)")
    return _page("DJ sign-in", form, footer)


def sign_up_page() -> rx.Component:
    form = post_form(
        rx.vstack(
            csrf_field(CsrfState.token),
            labelled("E-mail", _input("email", type="email", auto_complete="email", required=True,
                                      default_value=AuthFormState.email)),
            labelled("Display name", _input("name", auto_complete="nickname", required=True, max_length=80,
                                            default_value=AuthFormState.name), "How dancers see you."),
            labelled("Profile address", _input("slug", required=True, max_length=32, auto_capitalize="none",
                                               default_value=AuthFormState.slug),
                     "Lower-case letters, digits and dashes, e.g. dj-nova."),
            labelled("Password", _input("password", type="password", auto_complete="new-password", required=True,
                                        min_length=PASSWORD_MIN, max_length=PASSWORD_MAX),
                     f"{PASSWORD_MIN} to {PASSWORD_MAX} characters."),
            rx.button("Create account", type="submit", size="3", width="100%", id="sign-up-submit"),
            spacing="4",
            width="100%",
        ),
        action=routes.AUTH_SIGN_UP,
        id="sign-up-form",
    )
    footer = rx.text("Already have an account? ", rx.link("Sign in", href=routes.DJ_SIGN_IN, id="to-sign-in"),
                     size="3", color="var(--gray-11)")
    return _page("Create your DJ account", form, footer)
