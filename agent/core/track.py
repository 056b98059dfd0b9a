"""What a source reports: one track as read from the DJ software."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime

_SPACES = re.compile(r"\s+")
# Control characters sneak in from binary formats (NUL terminators, stray C0 bytes).
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean_text(value: object) -> str:
    """NFC-normalise and trim a display string; keeps the original casing."""
    if value is None:
        return ""
    text = _CONTROLS.sub("", str(value)).replace("\ufeff", "")
    return unicodedata.normalize("NFC", text).strip()


def comparable(text: str | None) -> str:
    """Loose form of a name for "is this the same?" checks inside the agent.

    NFKC + casefold + collapsed whitespace. This is NOT the server's canonical
    track identity (the server computes that); it only answers local questions
    such as "did the reading change?".
    """
    if not text:
        return ""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _SPACES.sub(" ", folded).strip()


def utc(value: datetime | None) -> datetime | None:
    """Aware datetime in UTC; a naive one is refused (its zone is unknown)."""
    if value is None:
        return None
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("started_at must be timezone-aware")
    try:
        return value.astimezone(UTC)
    except OverflowError:  # year 1 or 9999 near the edge: not a real play time
        return None


def from_epoch(seconds: float | int | None) -> datetime | None:
    """Unix seconds (or milliseconds, when > 1e11) to UTC; None if unusable."""
    if seconds is None or isinstance(seconds, bool):
        return None
    try:
        value = float(seconds)
        if not math.isfinite(value) or value <= 0:
            return None
        if value > 1e11:  # some writers (and one third-party test) use milliseconds
            value /= 1000.0
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _positive_float(value: object) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) and number > 0 else None


@dataclass(frozen=True, slots=True)
class DetectedTrack:
    """One reading of a track. Strings are NFC, trimmed, original casing.

    started_at is when the source says the play started (UTC), or None when
    the source has no such time. source_ref is the source's own row reference
    (row id, lastplaytime, file#index…) so a re-read of a row is recognisable.
    """

    title: str
    artist: str = ""
    version: str | None = None
    album: str | None = None
    bpm: float | None = None
    key: str | None = None
    energy: int | None = None
    duration_s: float | None = None
    file_path: str | None = None
    deck: str | None = None
    started_at: datetime | None = None
    source: str = ""
    source_ref: str | None = None

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "title", clean_text(self.title))
        set_(self, "artist", clean_text(self.artist))
        for name in ("version", "album", "key", "file_path", "deck", "source_ref"):
            raw = getattr(self, name)
            set_(self, name, (clean_text(raw) or None) if raw is not None else None)
        set_(self, "bpm", _positive_float(self.bpm))
        set_(self, "duration_s", _positive_float(self.duration_s))
        energy = self.energy
        set_(self, "energy", int(energy) if isinstance(energy, int) and 0 <= energy <= 100 else None)
        set_(self, "started_at", utc(self.started_at))

    def with_missing(self, other: DetectedTrack | None) -> DetectedTrack:
        """Fill this track's empty fields from another reading (enrichment)."""
        if other is None:
            return self
        updates = {
            f.name: getattr(other, f.name)
            for f in fields(self)
            if f.name in _ENRICHABLE and getattr(self, f.name) in (None, "") and getattr(other, f.name)
        }
        return replace(self, **updates) if updates else self

    @property
    def display(self) -> str:
        head = f"{self.artist} - {self.title}" if self.artist else self.title
        return f"{head} ({self.version})" if self.version else head


def make_track(**fields: object) -> DetectedTrack | None:
    """A DetectedTrack, or None when nothing usable is left of the title after cleaning."""
    track = DetectedTrack(**fields)  # type: ignore[arg-type]
    return track if track.title else None


_ENRICHABLE = {"artist", "version", "album", "bpm", "key", "energy", "duration_s", "file_path"}


def same_track(a: DetectedTrack | None, b: DetectedTrack | None) -> bool:
    """Same song by loose artist+title (a different play of it still counts)."""
    if a is None or b is None:
        return False
    return (comparable(a.artist), comparable(a.title)) == (comparable(b.artist), comparable(b.title))


def play_key(track: DetectedTrack) -> tuple[str, str, str, str]:
    """Stable "same play?" key: one source row (or start time) of one song.

    Re-reading the same row gives the same key; the same song played again
    later has another row/start time and so another key. A source with neither
    gives a key that only says which song it is; the detector handles that.
    """
    if track.source_ref:
        anchor = f"ref:{track.source_ref}"
    elif track.started_at is not None:
        anchor = f"at:{track.started_at.isoformat()}"
    else:
        anchor = ""
    return (track.source, anchor, comparable(track.artist), comparable(track.title))


def split_artist_title(text: str) -> tuple[str, str]:
    """'Artist - Title' on the first ' - '; no separator means title only."""
    artist, sep, title = text.partition(" - ")
    if not sep:
        return "", text.strip()
    return artist.strip(), title.strip()


def parse_duration(value: str) -> float | None:
    """'03:45.12', '3:45' or '225' → seconds."""
    try:
        parts = [float(p) for p in value.strip().split(":")]
    except ValueError:
        return None
    if not parts or len(parts) > 3:
        return None
    seconds = 0.0
    for part in parts:
        seconds = seconds * 60 + part
    return seconds


def now_utc() -> datetime:
    return datetime.now(UTC)
