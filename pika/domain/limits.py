"""Limits on dancer actions, one table for the server, the UI text and the tests."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limit:
    name: str
    count: int
    per_seconds: int

    def describe(self) -> str:
        if self.count == 1:
            return f"once every {self.per_seconds} seconds"
        unit = "minute" if self.per_seconds == 60 else f"{self.per_seconds} seconds"
        return f"{self.count} per {unit}"


LIKES = Limit("likes", 10, 60)
THANKS = Limit("thanks", 1, 10)
TEMPO = Limit("tempo", 30, 60)
SOCKET_CONNECTS = Limit("connects", 20, 60)
# Web accounts, per IP address: guessing passwords, creating accounts, minting agent tokens.
SIGN_IN = Limit("sign-in", 5, 15 * 60)
SIGN_UP = Limit("sign-up", 5, 15 * 60)
TOKEN_REGENERATE = Limit("token-regenerate", 5, 15 * 60)
PIN_ATTEMPTS = Limit("pin", 5, 5 * 60)


# -- overrides from the environment ----------------------------------------------------------------
# One machine opening hundreds of sockets from 127.0.0.1 (tests, benchmarks), or an operator whose
# dancers all sit behind one venue NAT, needs other numbers than the table above. An override is
# keyed by the limit's name, so it applies wherever that limit is checked.

_NAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-_")


class LimitOverrideError(ValueError):
    pass


def parse_overrides(text: str) -> dict[str, tuple[int, int]]:
    """`"connects=500/60, sign-in=5/3"` → `{"connects": (500, 60), "sign-in": (5, 3)}` (count, seconds)."""
    overrides: dict[str, tuple[int, int]] = {}
    for item in text.split(","):
        item = item.strip()
        if not item:
            continue
        name, sep, rule = item.partition("=")
        name = name.strip().lower()
        count, slash, seconds = rule.partition("/")
        if not sep or not slash or not name or not set(name) <= _NAME_CHARS:
            raise LimitOverrideError(f"limit override {item!r} is not name=count/seconds")
        try:
            count_n, seconds_n = int(count), int(seconds)
        except ValueError:
            raise LimitOverrideError(f"limit override {item!r}: count and seconds must be whole numbers") from None
        if count_n < 1 or seconds_n < 1:
            raise LimitOverrideError(f"limit override {item!r}: count and seconds must be at least 1")
        overrides[name] = (count_n, seconds_n)
    return overrides


def effective(limit: Limit, overrides: dict[str, tuple[int, int]]) -> Limit:
    """The limit as configured: the table's numbers unless an override names it."""
    if limit.name not in overrides:
        return limit
    count, seconds = overrides[limit.name]
    return Limit(limit.name, count, seconds)
