"""API tokens: shown once, stored only as a SHA-256 digest."""

from __future__ import annotations

import hashlib
import hmac
import secrets

TOKEN_PREFIX = "pk_dj_"
# 32 random bytes = 256 bits, comfortably above the 128 required.
_TOKEN_BYTES = 32


def generate_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(_TOKEN_BYTES)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def looks_like_token(raw: str) -> bool:
    return raw.startswith(TOKEN_PREFIX) and 20 <= len(raw) <= 200


def same_digest(a: str, b: str) -> bool:
    return hmac.compare_digest(a, b)
