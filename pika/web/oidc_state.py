"""The OIDC round trip's state, nonce and PKCE verifier, kept in a short-lived signed cookie.

A cookie instead of server memory lets the callback land on any worker; the signature (HMAC
with a key derived from SECRET_KEY) stops a browser from choosing its own state or nonce.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import OctKey
from starlette.requests import Request
from starlette.responses import Response

from pika import routes
from pika.settings import get_settings

COOKIE = "pika_oidc"
MAX_AGE_SECONDS = 600  # long enough to sign in at the provider, short enough to be useless later
_FIELDS = ("state", "nonce", "verifier")


def _key(secret_key: str) -> OctKey:
    # A key of its own, so this cookie cannot be replayed where SECRET_KEY signs something else.
    return OctKey.import_key(hmac.new(secret_key.encode(), b"pika oidc round trip", hashlib.sha256).digest())


def remember(response: Response, *, state: str, nonce: str, verifier: str) -> None:
    settings = get_settings()
    claims = {"state": state, "nonce": nonce, "verifier": verifier, "exp": int(time.time()) + MAX_AGE_SECONDS}
    value = jwt.encode({"alg": "HS256"}, claims, _key(settings.secret_key or ""))
    # Lax: the provider's redirect back is a top-level GET, which still carries the cookie.
    response.set_cookie(COOKIE, value, max_age=MAX_AGE_SECONDS, path=routes.OIDC_PREFIX, httponly=True,
                        samesite="lax", secure=settings.secure_cookies)


def recall(request: Request) -> dict[str, str] | None:
    """The saved round trip, or None when the cookie is missing, forged or expired."""
    value = request.cookies.get(COOKIE)
    secret_key = get_settings().secret_key
    if not value or not secret_key or len(value) > 2048:
        return None
    try:
        token = jwt.decode(value, _key(secret_key), algorithms=["HS256"])
        jwt.JWTClaimsRegistry(exp={"essential": True}).validate(token.claims)
    except (JoseError, ValueError):
        return None
    if not all(isinstance(token.claims.get(f), str) for f in _FIELDS):
        return None
    return {f: token.claims[f] for f in _FIELDS}


def forget(response: Response) -> None:
    # The round trip is single-use: a replayed callback then finds no state.
    settings = get_settings()
    response.delete_cookie(COOKIE, path=routes.OIDC_PREFIX, httponly=True, samesite="lax",
                           secure=settings.secure_cookies)
