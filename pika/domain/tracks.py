"""Track identity: the ONE place where "is this the same track?" is decided."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Separates the parts of a key; a control character cannot occur in a normalised name.
_SEP = "\x1f"


def normalize_name(text: str) -> str:
    """Normalise a name for comparison: NFKC, casefold, trimmed, inner whitespace collapsed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def display_name(text: str) -> str:
    """Clean a name for storage and display, keeping the original casing."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def full_title(title: str, version: str | None) -> str:
    """The title with its version, so "Song (Remix)" and ("Song", "Remix") are one track."""
    title = display_name(title)
    if not version or not display_name(version):
        return title
    version = display_name(version)
    if normalize_name(version) in normalize_name(title):
        return title
    return f"{title} ({version})"


def track_key(artist: str, title: str, version: str | None = None) -> str:
    """Canonical identity of a track. Versions such as "(Remix)" stay part of it."""
    return f"{normalize_name(artist)}{_SEP}{normalize_name(full_title(title, version))}"
