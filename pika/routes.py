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


def session_path(session_id: str) -> str:
    return f"/live/{session_id}"


def recap_path(session_id: str) -> str:
    return f"/recap/{session_id}"


def join_url(session_id: str) -> str:
    return get_settings().public_url.rstrip("/") + session_path(session_id)


def qr_page_url(session_id: str) -> str:
    return join_url(session_id) + "/qr"


def qr_image_url(session_id: str) -> str:
    return f"{get_settings().api_url.rstrip('/')}{API_PREFIX}/sessions/{session_id}/qr.svg"
