"""Which DJ software is on this machine, from each source's default paths."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agent.core.paths import KnownFolders
from agent.core.sources import SOURCES, Source, source_class


@dataclass(frozen=True)
class Installed:
    name: str
    label: str
    path: Path
    from_user: bool  # the DJ gave this path; it overrides the defaults


def detect_installed(
    folders: KnownFolders | None = None, overrides: Mapping[str, str | Path] | None = None
) -> list[Installed]:
    """Installed DJ programs, in preference order.

    A path in overrides (source name → path) replaces that source's default
    paths; a source the DJ gave a path for is listed even if it is not one
    auto-detection would guess (generic M3U, tracklist.txt).
    """
    folders = folders or KnownFolders.current()
    overrides = dict(overrides or {})
    found = []
    for name, cls in SOURCES.items():
        user_path = overrides.get(name)
        if user_path is None and not cls.auto_detect:
            continue
        path = cls(user_path, folders=folders).detect()
        if path is not None:
            found.append(Installed(name=name, label=cls.label, path=path, from_user=user_path is not None))
    return found


def make_source(
    name: str, path: str | Path | None = None, *, folders: KnownFolders | None = None, **options: Any
) -> Source:
    """A ready source: the DJ's path (if any) overrides the OS defaults."""
    return source_class(name)(path, folders=folders, **options)
