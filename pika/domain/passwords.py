"""Password rules for DJ web accounts: bounds, and an argon2id hash (memory-hard)."""

from __future__ import annotations

import functools

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

PASSWORD_MIN = 8
# An upper bound keeps a megabyte "password" from costing the server a megabyte of hashing.
PASSWORD_MAX = 128


@functools.cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()  # argon2id with the library's current recommended parameters


def password_problem(password: str) -> str | None:
    if len(password) < PASSWORD_MIN:
        return f"The password must be at least {PASSWORD_MIN} characters."
    if len(password) > PASSWORD_MAX:
        return f"The password can be at most {PASSWORD_MAX} characters."
    return None


def hash_password(password: str) -> str:
    return _hasher().hash(password)


@functools.cache
def _decoy_hash() -> str:
    return hash_password("decoy password that matches nobody")


def verify_password(password_hash: str | None, password: str) -> bool:
    """True when the password matches. Without a hash (unknown e-mail, CLI-created account) a decoy
    hash is checked anyway, so the answer takes as long as for a real account: no enumeration by timing."""
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        return False
    try:
        return _hasher().verify(password_hash or _decoy_hash(), password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False
