"""Which of Reflex's state managers each stack gets (rxconfig.py)."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.support.server import ROOT

SCRIPT = (
    "import rxconfig\n"
    "from reflex.istate.manager import StateManager\n"
    "print(type(StateManager.create()).__name__)\n"
)


def manager_for(**env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "REFLEX_REDIS_URL",
                                                                "REFLEX_STATE_MANAGER_MODE")}
    run = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env={**clean, **env},
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr[-3000:]
    return run.stdout.strip().splitlines()[-1]


def test_the_embedded_default_keeps_dancer_states_in_memory():
    assert manager_for() == "StateManagerMemory"  # not Reflex's disk manager, a file per dancer per event


def test_with_redis_reflex_still_picks_redis(redis_server):
    assert manager_for(REDIS_URL=redis_server.url) == "StateManagerRedis"
