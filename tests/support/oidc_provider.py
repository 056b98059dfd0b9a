"""A real OIDC provider for tests: oidc-provider-mock (authlib's server side) on a free local port.

It runs in a thread of the test process; the app under test (in-process or a subprocess) reaches
it over HTTP like any provider. Clients must register, so a wrong client id or redirect URI fails.
"""

from __future__ import annotations

import contextlib
import logging
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import httpx
import oidc_provider_mock
import werkzeug.serving


@dataclass
class OidcProvider:
    issuer: str

    def register_client(self, redirect_uri: str) -> tuple[str, str]:
        """A new client allowed to redirect to `redirect_uri`: (client id, client secret)."""
        response = httpx.post(f"{self.issuer}/oauth2/clients", json={"redirect_uris": [redirect_uri]}, timeout=5)
        response.raise_for_status()
        body = response.json()
        return body["client_id"], body["client_secret"]

    def set_user(self, sub: str, **claims) -> None:
        """The claims the provider reports for `sub` (the mock's own default is just email=sub)."""
        httpx.put(f"{self.issuer}/users/{sub}", json=claims, timeout=5).raise_for_status()

    def authorize(self, authorization_url: str, sub: str | None = None) -> str:
        """Submit the provider's consent form as `sub` (None = press Deny); the redirect back to the app."""
        form = {"sub": sub} if sub is not None else {"action": "deny"}
        response = httpx.post(authorization_url, data=form, timeout=5)
        assert response.status_code == 302, response.text[:500]
        return response.headers["location"]


@contextlib.contextmanager
def running_oidc_provider() -> Iterator[OidcProvider]:
    # The mock sends the nonce back only if asked; requiring it proves the app always sends one.
    app = oidc_provider_mock.app(require_client_registration=True, require_nonce=True)
    server = werkzeug.serving.make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    # werkzeug logs every request at INFO; the tests' own output is easier to read without it.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    thread.start()
    try:
        yield OidcProvider(issuer=f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def query_of(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def with_query(url: str, **changes: str) -> str:
    """`url` with some query parameters replaced (e.g. a tampered nonce)."""
    parts = urlsplit(url)
    query = parts.query
    for key, value in changes.items():
        query = re.sub(rf"(^|&){key}=[^&]*", rf"\g<1>{key}={value}", query)
    return parts._replace(query=query).geturl()
