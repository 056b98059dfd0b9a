"""The agent API alone (no web UI), under uvicorn, for agent tests that stop and restart it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.support.server import ROOT
from tests.support.services import free_port, wait_for_port


@dataclass
class ApiServer:
    database_url: str
    port: int
    log_path: Path
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ApiServer:
        env = {**os.environ, "DATABASE_URL": self.database_url, "REDIS_URL": "", "PUBLIC_URL": self.url,
               "API_URL": self.url}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", "pika.api.app:create_api", "--host", "127.0.0.1",
             "--port", str(self.port), "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=open(self.log_path, "a"), stderr=subprocess.STDOUT,  # noqa: SIM115
            stdin=subprocess.DEVNULL,
        )
        wait_for_port(self.port, timeout=30)
        assert httpx.get(f"{self.url}/api/v1/openapi.json", timeout=5).status_code == 200
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=10)
        self.process = None


def api_server(database_url: str, log_path: Path) -> ApiServer:
    return ApiServer(database_url=database_url, port=free_port(), log_path=log_path)
