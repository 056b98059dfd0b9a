"""At most SOCKET_CONNECTS new socket connections per IP, counted across workers by the shared limiter.

Hooked into Reflex's socket namespace without forking it: `install(app)` wraps the instance's
`on_connect`, which python-socketio looks up by name for every socket.io CONNECT. A refusal
raises socketio's ConnectionRefusedError before Reflex links the tab or hydrates anything, so a
refused connect costs one limiter call. The browser gets a CONNECT_ERROR whose message becomes
the Reflex client's connection error (shown by pika/components/connection_notice.py) and retries
by itself every ~2 s; refused attempts are not counted, so it gets in once the window moves on.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from reflex_base import constants
from socketio.exceptions import ConnectionRefusedError as SocketRefused

from pika.domain.limits import SOCKET_CONNECTS
from pika.realtime.hub import hub

if TYPE_CHECKING:
    import reflex as rx

# The dancer page recognises a refusal by this opening (the rest carries the wait).
REFUSAL_OPENING = "Lots of phones are joining from your network"


def refusal(retry_after: float) -> str:
    return f"{REFUSAL_OPENING}. Pika! connects you by itself in about {max(1, math.ceil(retry_after))} s."


def client_ip(namespace: Any, sid: str, environ: dict) -> str:
    # Reflex's own resolution (the socket's peer, or X-Forwarded-For behind `trusted_proxy_hops`
    # proxies), so the limit counts the same address that Reflex shows as router.session.client_ip.
    return namespace._build_static_router_data(sid, environ)[constants.RouteVar.CLIENT_IP]


def install(app: rx.App) -> None:
    namespace = app.event_namespace
    if namespace is None:  # an app without state has no socket
        return
    reflex_on_connect = namespace.on_connect

    async def on_connect(sid: str, environ: dict, auth: Any = None):
        verdict = await hub.store.limiter.hit(SOCKET_CONNECTS, client_ip(namespace, sid, environ))
        if not verdict.allowed:
            raise SocketRefused(refusal(verdict.retry_after))
        return await reflex_on_connect(sid, environ, auth)

    namespace.on_connect = on_connect
