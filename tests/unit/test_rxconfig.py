"""rxconfig.py: Reflex's opportunistic lock with Redis (joins and taps depend on it), never overriding an operator;
which of Reflex's state managers each stack gets."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.support.server import ROOT

PROBE = "import json, os, rxconfig; print(json.dumps({k: os.environ.get(k) for k in " \
        "('REFLEX_OPLOCK_ENABLED', 'REFLEX_OPLOCK_HOLD_TIME_MS')}))"


def reflex_env(**env: str) -> dict:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("REFLEX_OPLOCK") and k != "REDIS_URL"}
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env={**clean, **env}, capture_output=True,
                         text=True, check=True, timeout=60)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_with_redis_a_dancers_state_stays_in_its_worker_between_events():
    assert reflex_env(REDIS_URL="redis://127.0.0.1:6399/0") == {
        "REFLEX_OPLOCK_ENABLED": "true", "REFLEX_OPLOCK_HOLD_TIME_MS": "10000"}


def test_the_embedded_default_has_no_redis_lock_to_hold():
    assert reflex_env() == {"REFLEX_OPLOCK_ENABLED": None, "REFLEX_OPLOCK_HOLD_TIME_MS": None}


def test_an_operator_can_turn_it_off():
    assert reflex_env(REDIS_URL="redis://127.0.0.1:6399/0", REFLEX_OPLOCK_ENABLED="false")[
        "REFLEX_OPLOCK_ENABLED"] == "false"


MANAGER = "import rxconfig; from reflex.istate.manager import StateManager; print(type(StateManager.create()).__name__)"


def manager_for(**env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "REFLEX_STATE_MANAGER_MODE")}
    out = subprocess.run([sys.executable, "-c", MANAGER], cwd=ROOT, env={**clean, **env}, capture_output=True,
                         text=True, check=True, timeout=60)
    return out.stdout.strip().splitlines()[-1]


def test_the_embedded_default_keeps_dancer_states_in_memory():
    assert manager_for() == "StateManagerMemory"  # not Reflex's disk manager: a file per dancer per event


def test_with_redis_reflex_still_picks_redis(redis_server):
    assert manager_for(REDIS_URL=redis_server.url) == "StateManagerRedis"
