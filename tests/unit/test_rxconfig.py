"""rxconfig.py turns on Reflex's opportunistic lock with Redis (joins and taps depend on it), never overriding an operator."""

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
