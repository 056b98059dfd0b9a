"""Public session ids: unguessable, short enough for a QR code, easy to read aloud."""

from __future__ import annotations

import re
import secrets

# Lower-case letters and digits without the look-alikes (0/o, 1/l/i); 31 symbols.
ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
LENGTH = 12  # 31**12 ≈ 2**59 possibilities
_PATTERN = re.compile(rf"^[{ALPHABET}]{{{LENGTH}}}$")


def new_session_id() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def is_session_id(value: str) -> bool:
    return bool(_PATTERN.match(value))
