"""The agent UI against the REAL agent API (uvicorn + SQLite), driven with Textual's Pilot."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from agent.core.config import AgentConfig
from agent.tui.app import PikaAgent, Tuning, make_app

# Short timings so a test waits well under a second for each step of the real flow.
FAST = Tuning(settle_s=0.2, poll_s=0.3, debounce_s=0.05, crowd_every_s=0.2, heartbeat_s=1.0)
SIZE = (130, 45)


@pytest.fixture
def config(tmp_path, floor) -> AgentConfig:
    return AgentConfig(server=floor.url, config_dir=tmp_path / "config", data_dir=tmp_path / "data")


def agent(config: AgentConfig, **kwargs) -> PikaAgent:
    return make_app(config, tuning=kwargs.pop("tuning", FAST), **kwargs)


async def until(pilot, predicate: Callable[[], object], timeout: float = 10.0, what: str = "") -> None:
    """Let the app run until predicate() is true (a condition, not a fixed sleep)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what or predicate}")
        await pilot.pause(0.05)
