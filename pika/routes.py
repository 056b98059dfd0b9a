"""Every page route and public URL, in one place."""

from __future__ import annotations

from pika.settings import get_settings

INDEX = "/"
LOBBY = "/live"
SESSION = "/live/[session_id]"
SESSION_QR = "/live/[session_id]/qr"
RECAP = "/recap/[session_id]"
JOURNAL = "/me/likes"
API_PREFIX = "/api/v1"
# DJ accounts: Reflex pages, and the form posts (FastAPI) that set and clear their cookies.
DJ_HOME = "/dj"
DJ_SIGN_IN = "/dj/sign-in"
DJ_SIGN_UP = "/dj/sign-up"
DJ_TOKENS = "/dj/tokens"
AUTH_PREFIX = "/auth"
AUTH_SIGN_IN = "/auth/sign-in"
AUTH_SIGN_UP = "/auth/sign-up"
AUTH_SIGN_OUT = "/auth/sign-out"
# OIDC sign-in round trip (served by the API app, so the browser must navigate, not route).
OIDC_PREFIX = "/auth/oidc"
OIDC_START = f"{OIDC_PREFIX}/start"
OIDC_CALLBACK = f"{OIDC_PREFIX}/callback"


def session_path(session_id: str) -> str:
    return f"/live/{session_id}"


def recap_path(session_id: str) -> str:
    return f"/recap/{session_id}"


def join_url(session_id: str) -> str:
    return get_settings().public_url.rstrip("/") + session_path(session_id)


def oidc_redirect_uri() -> str:
    """What the operator registers at the provider; built from PUBLIC_URL, never from the request."""
    return get_settings().public_url.rstrip("/") + OIDC_CALLBACK


def qr_page_url(session_id: str) -> str:
    return join_url(session_id) + "/qr"


def qr_image_url(session_id: str) -> str:
    return f"{get_settings().api_url.rstrip('/')}{API_PREFIX}/sessions/{session_id}/qr.svg"
