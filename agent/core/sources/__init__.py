"""All sources, by name. Each module holds one DJ program's reader."""

from __future__ import annotations

from agent.core.sources.base import FileSource, MixMode, Source, SqliteSource, pick_deck
from agent.core.sources.djay import DjaySource
from agent.core.sources.djuced import DjucedSource
from agent.core.sources.m3u import M3uSource
from agent.core.sources.manual import ManualSource
from agent.core.sources.mixxx import MixxxSource
from agent.core.sources.serato3 import Serato3Source
from agent.core.sources.serato4 import Serato4Source
from agent.core.sources.traktor import TraktorSource
from agent.core.sources.vdj_tracklist import VdjTracklistSource
from agent.core.sources.virtualdj import VirtualDJSource

# Auto-detection tries them in this order (the research's priority list).
SOURCES: dict[str, type[Source]] = {
    cls.name: cls
    for cls in (
        VirtualDJSource,
        Serato4Source,
        Serato3Source,
        MixxxSource,
        DjaySource,
        DjucedSource,
        TraktorSource,
        VdjTracklistSource,
        M3uSource,
        ManualSource,
    )
}


def source_class(name: str) -> type[Source]:
    try:
        return SOURCES[name]
    except KeyError:
        raise ValueError(f"unknown source {name!r}; known: {', '.join(SOURCES)}") from None


__all__ = [
    "SOURCES",
    "DjaySource",
    "DjucedSource",
    "FileSource",
    "M3uSource",
    "ManualSource",
    "MixMode",
    "MixxxSource",
    "Serato3Source",
    "Serato4Source",
    "Source",
    "SqliteSource",
    "TraktorSource",
    "VdjTracklistSource",
    "VirtualDJSource",
    "pick_deck",
    "source_class",
]
