"""The agent's settings: defaults < config.json < PIKA_AGENT_* environment < command line.

The DJ token is NOT part of this file's settings: it lives alone in `token` in the config
folder, readable by the owner only (see agent.core.token_store).
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import platformdirs

log = logging.getLogger(__name__)

APP_NAME = "pika-agent"
ENV_PREFIX = "PIKA_AGENT_"
# What `make run` serves; a DJ types the organizer's address on the sign-in screen.
DEFAULT_SERVER = "http://localhost:3000"
_SAVED = ("server", "source", "path")


def default_config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def check_server_url(url: str) -> str:
    """A clean base URL, or ValueError with a sentence the DJ can act on."""
    url = url.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in url:
        raise ValueError("The server address must look like https://pika.example.com")
    return url


@dataclass
class AgentConfig:
    server: str = DEFAULT_SERVER
    source: str | None = None  # a source name from agent.core.sources.SOURCES
    path: str | None = None  # the DJ's path for that source (overrides auto-detection)
    config_dir: Path = field(default_factory=default_config_dir)
    data_dir: Path = field(default_factory=default_data_dir)

    @property
    def config_file(self) -> Path:
        return self.config_dir / "config.json"

    @property
    def outbox_path(self) -> Path:
        return self.data_dir / "outbox.db"

    @property
    def marks_path(self) -> Path:
        return self.data_dir / "marks.db"

    @property
    def session_file(self) -> Path:
        return self.data_dir / "session.json"

    @classmethod
    def load(cls, env: dict[str, str] | None = None, **cli: str | Path | None) -> AgentConfig:
        """Build the settings; cli values that are None mean "not given"."""
        env = dict(os.environ if env is None else env)
        dirs = {
            "config_dir": cli.get("config_dir") or env.get(ENV_PREFIX + "CONFIG_DIR"),
            "data_dir": cli.get("data_dir") or env.get(ENV_PREFIX + "DATA_DIR"),
        }
        config = cls(**{k: Path(v).expanduser() for k, v in dirs.items() if v})
        if config.data_dir == default_data_dir() and dirs["config_dir"] and not dirs["data_dir"]:
            # A separate config folder (tests, a second DJ on one laptop) keeps its own queue too.
            config.data_dir = config.config_dir / "data"
        for name, value in config._read_saved().items():
            setattr(config, name, value)
        for name in _SAVED:
            value = cli.get(name) or env.get(ENV_PREFIX + name.upper())
            if value:
                setattr(config, name, str(value))
        return config

    def _read_saved(self) -> dict[str, str]:
        try:
            saved = json.loads(self.config_file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:  # a hand-edited file must not stop the agent
            log.warning("ignoring %s: %s", self.config_file, exc)
            return {}
        if not isinstance(saved, dict):
            return {}
        return {k: v for k, v in saved.items() if k in _SAVED and isinstance(v, str) and v}

    def save(self) -> None:
        """Remember the server and the source choice for next time (never the token)."""
        self.config_dir.mkdir(parents=True, exist_ok=True)
        body = {name: getattr(self, name) for name in _SAVED if getattr(self, name)}
        self.config_file.write_text(json.dumps(body, indent=2) + "\n", encoding="utf-8")
