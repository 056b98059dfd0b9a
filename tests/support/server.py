"""Run the real Pika app (Reflex production mode, one port) as a subprocess for tests and benchmarks."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from pika.db import make_engine, migrate
from tests.support.services import free_port

ROOT = Path(__file__).resolve().parents[2]
# Every test page and benchmark dancer connects from 127.0.0.1: lift the per-IP socket connect limit
# (20/min in production) unless a test passes its own LIMIT_OVERRIDES in extra_env.
TEST_LIMIT_OVERRIDES = "connects=100000/60"


def tool_env() -> dict[str, str]:
    """PATH and Reflex settings so the project-local bun is used (see ENVIRONMENT.md)."""
    env = dict(os.environ)
    env["PATH"] = f"{ROOT / '.tools' / 'node_modules' / '.bin'}:{ROOT / '.venv' / 'bin'}:{env.get('PATH', '')}"
    env.update(
        REFLEX_USE_SYSTEM_BUN="1",
        REFLEX_DIR=str(ROOT / ".reflex"),
        REFLEX_TELEMETRY_ENABLED="0",
        REFLEX_CHECK_LATEST_VERSION="0",
        BUN_INSTALL_CACHE_DIR=str(ROOT / ".cache" / "bun"),
        PYTHONUNBUFFERED="1",
    )
    return env


@dataclass
class RunningApp:
    url: str
    port: int
    process: subprocess.Popen
    log_path: Path
    env: dict[str, str]

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)


def migrated(database_url: str) -> str:
    """The database at `database_url` brought to the current schema (as the app does at start-up); returns the URL."""
    engine = make_engine(database_url)
    migrate(engine)
    engine.dispose()
    return database_url


def start_app(
    *,
    database_url: str,
    redis_url: str | None = None,
    log_path: Path,
    port: int | None = None,
    workers: int = 1,
    extra_env: dict[str, str] | None = None,
    web_dir: str | None = None,
    timeout: float = 240.0,
) -> RunningApp:
    port = port or free_port()
    # PIKA_TEST_WEB_DIR lets several test runs share the machine without sharing a build folder.
    web_dir = web_dir or os.environ.get("PIKA_TEST_WEB_DIR", ".web")
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
        raise RuntimeError(f"port {port} is already in use: another server would answer in this one's place")
    url = f"http://127.0.0.1:{port}"
    env = tool_env()
    env.update(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url or "",
        PUBLIC_URL=url,
        API_URL=url,
        GRANIAN_WORKERS=str(workers),
        # Separate build folders let a benchmark and a test suite run side by side.
        REFLEX_WEB_WORKDIR=web_dir,
        REFLEX_STATES_WORKDIR=f"{web_dir}-states",
        LIMIT_OVERRIDES=TEST_LIMIT_OVERRIDES,
    )
    if not redis_url:
        env.pop("REFLEX_REDIS_URL", None)
    env.update(extra_env or {})
    log_file = open(log_path, "w")  # noqa: SIM115  (kept open for the child's lifetime)
    process = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "reflex"), "run", "--env", "prod", "--frontend-port", str(port),
         "--backend-port", str(port), "--backend-host", "127.0.0.1"],
        cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    app = RunningApp(url=url, port=port, process=process, log_path=log_path, env=env)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the app exited early:\n{app.log()[-4000:]}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{url}/ping", timeout=1).status_code == 200 and httpx.get(url, timeout=2).status_code == 200:
                return app
        time.sleep(0.5)
    app.stop()
    raise TimeoutError(f"the app did not start within {timeout}s:\n{app.log()[-4000:]}")


def start_apps(web_dirs: list[str], *, log_dir: Path, **kwargs) -> list[RunningApp]:
    """Several servers (e.g. two instances sharing PostgreSQL and Redis), each with its own build folder.

    One after the other: each start may rewrite the project's reflex.lock/, which two builds at
    once would corrupt.
    """
    apps: list[RunningApp] = []
    try:
        for i, web_dir in enumerate(web_dirs):
            apps.append(start_app(web_dir=web_dir, log_path=log_dir / f"app{i}.log", **kwargs))
    except BaseException:
        for app in apps:
            app.stop()
        raise
    return apps
