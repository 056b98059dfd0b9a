"""Double-submit CSRF: a random `pika_csrf` cookie must equal the form's hidden `csrf` field.

A page on another site can make the browser post to us (with our cookies), but it cannot read
our cookies, so it cannot put the right value in the form.
"""

from __future__ import annotations

import hmac
import secrets

CSRF_FIELD = "csrf"
_MAX = 100


def new_csrf_token() -> str:
    return secrets.token_urlsafe(32)


def csrf_matches(cookie_value: str | None, field_value: str | None) -> bool:
    if not cookie_value or not field_value or len(cookie_value) > _MAX or len(field_value) > _MAX:
        return False
    return hmac.compare_digest(cookie_value.encode(), field_value.encode())


def cookie_from_header(header: str, name: str) -> str | None:
    """One cookie's value from a raw `Cookie:` header (what the Reflex socket handshake carried).

    Parsed by hand: http.cookies.SimpleCookie drops every cookie after one it finds malformed, and
    other software on the same host may well set such cookies.
    """
    for part in header.split(";"):
        key, sep, value = part.strip().partition("=")
        if sep and key == name:
            return value.strip().strip('"')
    return None
