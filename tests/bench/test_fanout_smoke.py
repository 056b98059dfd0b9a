"""CI smoke of the fan-out benchmark: a small crowd on both stacks, every play delivered to every dancer,
every tap (10% per song, then the storm) acknowledged and counted once in the DJ's crowd feed.

Not a timed test (no latency threshold): it keeps `bench/` working against the current app.
The real figures come from `python -m bench.fanout` (see docs/performance.md).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.support.server import ROOT

pytestmark = pytest.mark.slow

DANCERS = 200
PLAYS = 3


def test_fanout_smoke(tmp_path):
    figures = tmp_path / "fanout.json"
    options = {
        "--dancers": DANCERS,
        "--plays": PLAYS,
        "--manager": "builtin,redis",
        "--interval": 1,
        "--settle": 1,
        "--client-procs": 1,
        # Doors open at the benchmark's rate (2,000 in 20 s).
        "--join-rate": 100,
        "--act": 0.1,
        # Its own build folder, so a benchmark in .web-bench can run at the same time.
        "--web-dir": ".web-bench2",
        "--json": figures,
        "--log-dir": tmp_path,
    }
    command = [sys.executable, "-m", "bench.fanout", *(str(x) for pair in options.items() for x in pair)]
    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=240)
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-6000:]
    assert "fan-out p50/p95/p99/max ms" in run.stdout, output[-3000:]

    results = json.loads(figures.read_text())["results"]
    assert [r["manager"] for r in results] == ["builtin", "redis"]
    for r in results:
        label = f"{r['config']}: "
        assert r["join"]["joined"] == DANCERS, label + f"join errors {r['join']['errors']}"
        assert len(r["plays"]) == PLAYS, label
        assert r["lost"] == 0 and r["wrong"] == 0, label + json.dumps(r["plays"])
        assert all(p["delivered"] == DANCERS for p in r["plays"]), label
        assert r["fanout_ms"]["n"] == DANCERS * PLAYS and r["fanout_ms"]["p99_ms"] is not None, label
        assert r["memory"]["connected_mb"] > 0 and r["cpu"]["server_per_play_ms"] is not None, label
        taps, storm = r["actions"], r["storm"]
        assert taps["sent"] == DANCERS // 10 * PLAYS and taps["acked"] == taps["sent"], label + json.dumps(taps)
        assert storm["sent"] > DANCERS * 0.9 and storm["acked"] == storm["sent"], label + json.dumps(storm)
        assert taps["refused"] == storm["refused"] == 0, label
        assert r["crowd_feed"]["correct"], label + json.dumps(r["crowd_feed"])
        assert r["server_log"]["tracebacks"] == 0, label + f"see {r['server_log']['path']}"
        assert r["config"] in run.stdout, label  # its row of the printed table


def test_fanout_with_a_cpu_budget_per_worker(tmp_path):
    """The second-worker runs of docs/performance.md: two workers, each held to its own CPU budget."""
    from bench.cpu_budget import unavailable

    if reason := unavailable():
        pytest.skip(f"cgroups: {reason}")
    figures = tmp_path / "budget.json"
    command = [sys.executable, "-m", "bench.fanout", "--dancers", "100", "--plays", "2", "--manager", "redis",
               "--workers", "2", "--worker-cpus", "0.9", "--interval", "1", "--settle", "1", "--client-procs", "1",
               "--act", "0.1", "--no-storm", "--web-dir", ".web-bench2", "--json", str(figures),
               "--log-dir", str(tmp_path)]
    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert run.returncode == 0, (run.stdout + run.stderr)[-6000:]
    [r] = json.loads(figures.read_text())["results"]
    assert r["config"] == "Redis, 2 workers at 0.9 core each"
    assert r["lost"] == 0 and all(p["delivered"] == 100 for p in r["plays"]), json.dumps(r["plays"])
    # Both workers stayed in their groups to the end (a restarted worker would have escaped its budget).
    assert r["worker_budget"]["held"] is True and r["worker_budget"]["periods"] > 0, r["worker_budget"]
    assert "limited to 0.9 cores each" in run.stdout
