"""The DJ's API token on disk: one file in the config folder, readable by its owner only.

It is written with mode 0600 from the start (never world-readable, not even for an
instant) and its permissions are tightened again if someone loosened them.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

TOKEN_FILE = "token"


def token_path(config_dir: Path) -> Path:
    return config_dir / TOKEN_FILE


def load_token(config_dir: Path) -> str | None:
    path = token_path(config_dir)
    try:
        token = path.read_text(encoding="utf-8").strip()
    except (FileNotFoundError, UnicodeDecodeError):
        return None
    except OSError:
        return None
    if os.name == "posix" and stat.S_IMODE(path.stat().st_mode) & 0o077:
        with contextlib.suppress(OSError):
            path.chmod(0o600)
    return token or None


def save_token(config_dir: Path, token: str) -> Path:
    config_dir.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        config_dir.chmod(0o700)  # the folder too: nobody else lists or swaps the file
    path = token_path(config_dir)
    temporary = path.with_name(TOKEN_FILE + ".new")
    with contextlib.suppress(FileNotFoundError):
        temporary.unlink()
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(token.strip() + "\n")
    os.replace(temporary, path)  # atomic: a crash leaves the old token or the new one
    return path


def forget_token(config_dir: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        token_path(config_dir).unlink()
