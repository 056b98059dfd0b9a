"""Optional track metrics: out-of-range values become "unknown" instead of failing the play."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

BPM_RANGE = (20.0, 400.0)
ENERGY_RANGE = (0, 100)
DURATION_RANGE = (1.0, 6 * 3600.0)
KEY_MAX_LENGTH = 12
# Musical keys as DJ software writes them: "Am", "C#m", "Bb", "F# major", Camelot "8A", Open Key "8m".
_KEY_PATTERN = re.compile(
    r"^(?:[A-G](?:#|b|♯|♭)?(?:m|min|maj|major|minor| major| minor)?|(?:[1-9]|1[0-2])[ABab]|(?:[1-9]|1[0-2])[mdMD])$"
)


@dataclass
class CleanMetrics:
    bpm: float | None = None
    key: str | None = None
    energy: int | None = None
    duration_s: float | None = None
    unknown: list[str] = field(default_factory=list)


def _in_range(value: float | None, bounds: tuple[float, float]) -> bool:
    return value is not None and math.isfinite(value) and bounds[0] <= value <= bounds[1]


def clean_metrics(
    bpm: float | None = None,
    key: str | None = None,
    energy: float | None = None,
    duration_s: float | None = None,
) -> CleanMetrics:
    """Keep what is plausible; list the fields that were sent but are out of range."""
    out = CleanMetrics()
    if bpm is not None:
        if _in_range(bpm, BPM_RANGE):
            out.bpm = float(bpm)
        else:
            out.unknown.append("bpm")
    if key is not None and key.strip():
        candidate = key.strip()
        if len(candidate) <= KEY_MAX_LENGTH and _KEY_PATTERN.match(candidate):
            out.key = candidate
        else:
            out.unknown.append("key")
    if energy is not None:
        if _in_range(energy, ENERGY_RANGE):
            out.energy = round(energy)
        else:
            out.unknown.append("energy")
    if duration_s is not None:
        if _in_range(duration_s, DURATION_RANGE):
            out.duration_s = float(duration_s)
        else:
            out.unknown.append("duration_s")
    return out


def display_bpm(bpm: float | None) -> str:
    """BPM as a dancer reads it: rounded, or empty when unknown."""
    return "" if bpm is None else str(round(bpm))
