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
SIGN_IN = Limit("sign-in", 5, 15 * 60)
PIN_ATTEMPTS = Limit("pin", 5, 5 * 60)
