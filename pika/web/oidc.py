"""OIDC sign-in for DJs: /auth/oidc/start sends the browser to the provider, /auth/oidc/callback
brings it back signed in. Every failure lands on the sign-in page with `?error=<code>`.
"""

from __future__ import annotations

import functools
import logging
import secrets

from authlib.integrations.base_client import OAuthError
from authlib.integrations.httpx_client._compat import httpx2 as authlib_http
from authlib.integrations.starlette_client import OAuth, StarletteOAuth2App
from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response
from joserfc.errors import JoseError
from sqlalchemy.exc import IntegrityError
from starlette.concurrency import run_in_threadpool

from pika import routes
from pika.db import session_scope
from pika.services.errors import ServiceError
from pika.services.oidc_accounts import OidcRefused, dj_for_identity
from pika.settings import get_settings
from pika.web import oidc_state
from pika.web.cookies import sign_in_redirect

log = logging.getLogger(__name__)

_TIMEOUT_SECONDS = 10.0  # a slow provider must not keep the DJ waiting (or a worker busy) for long
# authlib talks through httpx2 when it is installed, else through httpx: catch what it raises.
_NETWORK_ERRORS = (authlib_http.HTTPError,)

router = APIRouter(include_in_schema=False)


@functools.cache
def _provider(issuer: str, client_id: str, client_secret: str) -> StarletteOAuth2App:
    """One client per configuration; authlib caches discovery and the JWKS on it after the first use."""
    return OAuth().register(
        "oidc",
        client_id=client_id,
        client_secret=client_secret,
        server_metadata_url=f"{issuer.rstrip('/')}/.well-known/openid-configuration",
        client_kwargs={"scope": "openid email profile", "code_challenge_method": "S256", "timeout": _TIMEOUT_SECONDS},
    )


async def _discovered_provider() -> StarletteOAuth2App:
    settings = get_settings()
    provider = _provider(settings.oidc_issuer, settings.oidc_client_id, settings.oidc_client_secret)
    metadata = await provider.load_server_metadata()
    # OIDC Discovery §4.3: the document must name the issuer we asked; otherwise tokens signed by
    # a look-alike would pass the `iss` check, which compares against this document.
    if str(metadata.get("issuer", "")).rstrip("/") != settings.oidc_issuer.rstrip("/"):
        provider.server_metadata.pop("_loaded_at", None)
        raise OAuthError(error="issuer_mismatch", description=f"discovery names issuer {metadata.get('issuer')!r}")
    return provider


def _id_token_rules(provider: StarletteOAuth2App) -> dict:
    # authlib checks the signature (provider's JWKS), exp, nonce and at_hash by itself, but the
    # audience only through `azp`; a token for another client that names us as `azp` would pass.
    return {
        "iss": {"essential": True, "values": [provider.server_metadata["issuer"]]},
        "aud": {"essential": True, "values": [provider.client_id]},
    }


def _fail(reason: str, why: str = "") -> RedirectResponse:
    """Back to the sign-in page, which shows pika.web.messages.OIDC_MESSAGES[f"oidc_{reason}"]."""
    if why:
        log.warning("OIDC sign-in failed (%s): %s", reason, why)
    response = RedirectResponse(f"{routes.DJ_SIGN_IN}?error=oidc_{reason}", status_code=303)
    oidc_state.forget(response)
    return response


@router.get(routes.OIDC_START)
async def start() -> Response:
    if not get_settings().oidc_enabled:
        return _fail("not_configured")
    try:
        provider = await _discovered_provider()
        auth = await provider.create_authorization_url(routes.oidc_redirect_uri(), nonce=secrets.token_urlsafe(24))
    except _NETWORK_ERRORS as exc:
        return _fail("unavailable", repr(exc))
    except (OAuthError, ValueError, RuntimeError) as exc:
        return _fail("provider", repr(exc))
    response = RedirectResponse(auth["url"], status_code=303)
    oidc_state.remember(response, state=auth["state"], nonce=auth["nonce"], verifier=auth["code_verifier"])
    return response


@router.get(routes.OIDC_CALLBACK)
async def callback(
    request: Request,
    state: str = Query(default="", max_length=512),
    code: str = Query(default="", max_length=2048),
    error: str = Query(default="", max_length=128),
) -> Response:
    if not get_settings().oidc_enabled:
        return _fail("not_configured")
    saved = oidc_state.recall(request)
    if error:
        return _fail("denied" if error == "access_denied" else "provider", f"provider said {error}")
    # The state ties this answer to a sign-in this browser started (no login CSRF).
    if saved is None or not state or not secrets.compare_digest(state, saved["state"]):
        return _fail("state", "missing, expired or mismatched state")
    if not code:
        return _fail("provider", "no code in the callback")
    try:
        provider = await _discovered_provider()
        tokens = await provider.fetch_access_token(
            redirect_uri=routes.oidc_redirect_uri(), code=code, code_verifier=saved["verifier"])
    except _NETWORK_ERRORS as exc:
        return _fail("unavailable", repr(exc))
    except (OAuthError, ValueError, RuntimeError) as exc:
        return _fail("provider", repr(exc))
    if "id_token" not in tokens:
        return _fail("token", "no ID token in the token response")
    try:
        claims = dict(await provider.parse_id_token(tokens, nonce=saved["nonce"], claims_options=_id_token_rules(provider)))
    except _NETWORK_ERRORS as exc:
        return _fail("unavailable", repr(exc))
    except (JoseError, ValueError, RuntimeError) as exc:
        return _fail("token", repr(exc))
    try:
        response = await run_in_threadpool(_sign_in, request, claims)
    except OidcRefused as exc:
        return _fail(exc.code, f"refused for subject {claims.get('sub')!r}")
    except (ServiceError, IntegrityError) as exc:  # e.g. two first sign-ins racing for one slug
        return _fail("account", repr(exc))
    oidc_state.forget(response)
    return response


def _sign_in(request: Request, claims: dict) -> Response:
    with session_scope() as db:
        dj = dj_for_identity(db, issuer=claims["iss"], claims=claims)
        return sign_in_redirect(db, dj, request, to=routes.DJ_HOME)
