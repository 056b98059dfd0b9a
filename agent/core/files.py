"""Small file helpers shared by the file-based sources."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path

from agent.core.errors import SourceError

# A last line without newline is accepted once the file has been quiet this
# long: some writers never end the file with a newline.
TAIL_GRACE_S = 5.0

_WINDOWS_SHARING_VIOLATION = 32


def read_bytes(
    path: Path,
    *,
    retries: int = 4,
    delay_s: float = 0.05,
    sleep: Callable[[float], None] = time.sleep,
) -> bytes | None:
    """File contents, None if it does not exist.

    Windows refuses reads while the writer holds the file (sharing violation,
    winerror 32): retry briefly with backoff before giving up.
    """
    for attempt in range(retries + 1):
        try:
            return path.read_bytes()
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            return None
        except PermissionError as exc:
            if getattr(exc, "winerror", None) == _WINDOWS_SHARING_VIOLATION and attempt < retries:
                sleep(delay_s * (2**attempt))
                continue
            raise SourceError(f"no permission to read {path}: {exc}") from exc
        except OSError as exc:
            if getattr(exc, "winerror", None) == _WINDOWS_SHARING_VIOLATION and attempt < retries:
                sleep(delay_s * (2**attempt))
                continue
            raise SourceError(f"cannot read {path}: {exc}") from exc
    return None  # pragma: no cover - loop always returns or raises


def stat_signature(paths: Iterable[Path], *, now: float | None = None) -> tuple:
    """(path, size, mtime_ns, settled) per file: the safety poll's change token.

    "settled" flips once the file has been quiet for TAIL_GRACE_S, so a
    poll re-reads it and can accept an unterminated last line.
    """
    now = time.time() if now is None else now
    out = []
    for path in paths:
        try:
            st = path.stat()
        except OSError:
            out.append((str(path), None))
            continue
        out.append((str(path), st.st_size, st.st_mtime_ns, now - st.st_mtime > TAIL_GRACE_S))
    return tuple(out)


def file_signature(path: Path | None) -> tuple[int, int] | None:
    """(size, mtime_ns), or None if the file is missing: "has it changed?"."""
    if path is None:
        return None
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns)


def is_settled(path: Path, *, now: float | None = None) -> bool:
    now = time.time() if now is None else now
    try:
        return now - path.stat().st_mtime > TAIL_GRACE_S
    except OSError:
        return False


def list_files(directory: Path | None, suffixes: tuple[str, ...]) -> list[Path]:
    """Files directly in directory whose name ends with a suffix (any case)."""
    if directory is None:
        return []
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return []
    out = []
    for entry in entries:
        if entry.name.lower().endswith(suffixes) and not entry.name.startswith("."):
            try:
                if entry.is_file():
                    out.append(Path(entry.path))
            except OSError:
                continue
    return out


def mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def mtime_utc(path: Path) -> datetime | None:
    try:
        return datetime.fromtimestamp(path.stat().st_mtime, UTC)
    except (OSError, OverflowError, ValueError):
        return None
