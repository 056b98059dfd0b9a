"""The app: mounts the agent API, registers every page. Nothing else lives here."""

import reflex as rx

from pika import routes
from pika.api.app import create_api
from pika.components import connection_notice
from pika.pages.dj_auth import AuthFormState, sign_in_page, sign_up_page
from pika.pages.dj_dashboard import DashboardState, dashboard_page
from pika.pages.dj_state import CsrfState
from pika.pages.dj_tokens import TokensState, tokens_page
from pika.pages.index import index_page
from pika.pages.journal import JournalState, journal_page
from pika.pages.lobby import LobbyState, lobby_page
from pika.pages.qr import QrState, qr_page
from pika.pages.recap import RecapState, recap_page
from pika.pages.session import session_page
from pika.pages.session_state import DancerRoomState
from pika.realtime import connect_limit, engineio_fixes, redis_fixes
from pika.realtime.runtime import lifespan
from pika.web_security import security_headers

redis_fixes.install()
engineio_fixes.install()

app = rx.App(
    # The API first, then the security headers around everything (pages, assets, API, errors).
    api_transformer=[create_api(), security_headers()],
    head_components=[
        rx.el.meta(name="theme-color", content="#111110"),
        rx.el.link(rel="manifest", href="/manifest.webmanifest"),
        rx.el.link(rel="apple-touch-icon", href="/icons/apple-touch-icon.png"),
        rx.el.meta(name="apple-mobile-web-app-capable", content="yes"),
        rx.el.meta(name="apple-mobile-web-app-status-bar-style", content="black-translucent"),
        rx.el.script(src="/pwa.js", defer=True),
    ],
)
app.register_lifespan_task(lifespan)
connection_notice.install(app)
connect_limit.install(app)

app.add_page(session_page, route=routes.SESSION, title="Pika! · Live", on_load=DancerRoomState.join)
app.add_page(qr_page, route=routes.SESSION_QR, title="Pika! · Join", on_load=QrState.load)
app.add_page(recap_page, route=routes.RECAP, title="Pika! · Recap", on_load=RecapState.load)
app.add_page(journal_page, route=routes.JOURNAL, title="Pika! · My likes", on_load=JournalState.load)
app.add_page(lobby_page, route=routes.LOBBY, title="Pika! · Live now", on_load=LobbyState.load)
app.add_page(index_page, route=routes.INDEX, title="Pika!")
app.add_page(sign_in_page, route=routes.DJ_SIGN_IN, title="Pika! · DJ sign-in", on_load=[CsrfState.ensure, AuthFormState.load])
app.add_page(sign_up_page, route=routes.DJ_SIGN_UP, title="Pika! · New DJ account",
             on_load=[CsrfState.ensure, AuthFormState.load])
app.add_page(dashboard_page, route=routes.DJ_HOME, title="Pika! · Your sets", on_load=[CsrfState.ensure, DashboardState.load])
app.add_page(tokens_page, route=routes.DJ_TOKENS, title="Pika! · API tokens", on_load=[CsrfState.ensure, TokensState.load])
