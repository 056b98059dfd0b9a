"""Session PINs: 4 to 8 digits, stored as a salted, slow hash (never in clear)."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

_PIN = re.compile(r"^\d{4,8}$")
_ITERATIONS = 200_000


def pin_problem(pin: str) -> str | None:
    return None if _PIN.match(pin) else "A PIN is 4 to 8 digits."


def hash_pin(pin: str) -> str:
    salt = secrets.token_hex(16)
    digest = hashlib.pbkdf2_hmac("sha256", pin.encode(), bytes.fromhex(salt), _ITERATIONS).hex()
    return f"pbkdf2_sha256${_ITERATIONS}${salt}${digest}"


def check_pin(pin: str, stored: str) -> bool:
    try:
        _, iterations, salt, digest = stored.split("$")
        candidate = hashlib.pbkdf2_hmac("sha256", pin.encode(), bytes.fromhex(salt), int(iterations)).hex()
    except ValueError:
        return False
    return hmac.compare_digest(candidate, digest)
