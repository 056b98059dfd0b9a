"""The live session this agent last drove, so a restart (or a crash) can continue it."""

from __future__ import annotations

import contextlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True)
class RememberedSession:
    server: str
    session_id: str
    title: str
    join_url: str
    dj_slug: str = ""


def load_session(path: Path, server: str) -> RememberedSession | None:
    """The remembered session for this server, or None (a broken file counts as none)."""
    try:
        body = json.loads(path.read_text(encoding="utf-8"))
        remembered = RememberedSession(**{k: str(body[k]) for k in ("server", "session_id", "title", "join_url")},
                                       dj_slug=str(body.get("dj_slug", "")))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return remembered if remembered.server.rstrip("/") == server.rstrip("/") else None


def save_session(path: Path, session: RememberedSession) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".new")
    temporary.write_text(json.dumps(asdict(session), indent=2), encoding="utf-8")
    temporary.replace(path)


def forget_session(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
