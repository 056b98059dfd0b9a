"""Rules for DJ accounts: slugs, e-mail addresses, display names."""

from __future__ import annotations

import re

RESERVED_SLUGS = frozenset({
    "admin", "api", "app", "assets", "auth", "charts", "dashboard", "dj", "djs", "event",
    "events", "help", "live", "login", "logout", "me", "new", "organizer", "organizers",
    "pika", "qr", "recap", "settings", "signin", "signout", "signup", "static", "support",
    "www", "_event", "_upload", "ping",
})
_SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$")
# Deliberately simple: one @, a dot in the domain, no spaces. Delivery proves the rest.
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")
DISPLAY_NAME_MAX = 80


def slug_problem(slug: str) -> str | None:
    if not 2 <= len(slug) <= 32:
        return "The slug must be 2 to 32 characters long."
    if not _SLUG.match(slug):
        return "Use lower-case letters, digits and dashes (not at the start or end)."
    if slug in RESERVED_SLUGS:
        return f"“{slug}” is reserved; please choose another."
    return None


def normalize_email(email: str) -> str:
    return email.strip().lower()


def email_problem(email: str) -> str | None:
    if len(email) > 254 or not _EMAIL.match(email):
        return "Please enter a valid e-mail address."
    return None


def display_name_problem(name: str) -> str | None:
    if not name.strip():
        return "Please enter a display name."
    if len(name) > DISPLAY_NAME_MAX:
        return f"The display name can be at most {DISPLAY_NAME_MAX} characters."
    return None
