"""The benchmark's per-worker CPU budget really holds a process to its share, and leaves nothing behind."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import psutil
import pytest

from bench.cpu_budget import WorkerBudget, unavailable

needs_cgroups = pytest.mark.skipif(unavailable() is not None, reason=f"cgroups: {unavailable()}")


def _cpu_share(proc: psutil.Process, seconds: float) -> float:
    t = proc.cpu_times()
    start_cpu, start = t.user + t.system, time.monotonic()
    time.sleep(seconds)
    t = proc.cpu_times()
    return (t.user + t.system - start_cpu) / (time.monotonic() - start)


@pytest.fixture
def spinner():
    proc = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        yield psutil.Process(proc.pid)
    finally:
        proc.kill()
        proc.wait(10)


@needs_cgroups
def test_a_busy_worker_gets_its_budget_and_no_more(spinner):
    budget = WorkerBudget.apply([spinner.pid], 0.25)
    try:
        share = _cpu_share(spinner, 2.0)
        assert 0.1 < share < 0.32, share
        assert budget.holds() == {spinner.pid: True}
        assert budget.throttled()["throttled_periods"] > 0
    finally:
        groups = list(budget.groups.values())
        budget.release()
    # Released while still running: back in the root group, unlimited, and the group is gone.
    assert not any(group.exists() for group in groups)
    assert _cpu_share(spinner, 1.0) > 0.45  # a whole core on a quiet machine, half of one on a busy one


def test_a_budget_is_more_than_nothing():
    with pytest.raises(ValueError, match="more than 0"):
        WorkerBudget.apply([os.getpid()], 0)
