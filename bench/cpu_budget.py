"""A fixed CPU budget per app worker (Linux cgroups), so worker scaling can be measured on a small machine.

On 2 cores with the load client, Redis and PostgreSQL beside the app, a second worker has no core of
its own to add: "does a second worker add capacity" then measures the machine, not the app. Giving
every worker the same budget (e.g. half a core, enforced by the kernel's CFS quota) and leaving the
rest of the machine to everything else asks the question a machine with a core per worker would
answer. Needs root and the cgroup `cpu` controller; fails with a clear message otherwise. Measured
with cgroup v1 (this machine); on v2 it needs `cpu` in the root's `cgroup.subtree_control`.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from pathlib import Path

V1_ROOT = Path("/sys/fs/cgroup/cpu")
V2_ROOT = Path("/sys/fs/cgroup")
# A short period keeps a throttled worker's pause short (the default 100 ms would stall a push
# for tens of milliseconds at a time): the budget then behaves like a slower core, not a stutter.
PERIOD_US = 10_000


class BudgetUnavailable(RuntimeError):
    pass


def _hierarchy() -> tuple[Path, bool]:
    """The folder new groups go in, and whether it is cgroup v2."""
    if os.geteuid() != 0:
        raise BudgetUnavailable("--worker-cpus needs root (it writes to /sys/fs/cgroup)")
    if (V1_ROOT / "cpu.cfs_quota_us").exists():
        return V1_ROOT, False
    controllers = V2_ROOT / "cgroup.subtree_control"  # what a new child group gets
    if controllers.exists() and "cpu" in controllers.read_text(errors="ignore").split():
        return V2_ROOT, True
    raise BudgetUnavailable("no cgroup cpu controller here: --worker-cpus needs Linux cgroups (v1 cpu or v2)")


def unavailable() -> str | None:
    """Why this machine cannot hold workers to a budget; None if it can."""
    try:
        _hierarchy()
    except BudgetUnavailable as exc:
        return str(exc)
    return None


@dataclass
class WorkerBudget:
    """Each worker pid in a group of its own, limited to `cores` of CPU time."""

    cores: float
    groups: dict[int, Path] = field(default_factory=dict)
    v2: bool = False

    @classmethod
    def apply(cls, pids: list[int], cores: float) -> WorkerBudget:
        if cores <= 0:
            raise ValueError("a CPU budget is more than 0 cores")
        root, v2 = _hierarchy()
        budget = cls(cores=cores, v2=v2)
        quota = max(1000, round(cores * PERIOD_US))
        try:
            for pid in pids:
                group = root / f"pika-bench-{os.getpid()}-{pid}"
                group.mkdir(exist_ok=True)
                budget.groups[pid] = group
                if v2:
                    (group / "cpu.max").write_text(f"{quota} {PERIOD_US}")
                else:
                    (group / "cpu.cfs_period_us").write_text(str(PERIOD_US))
                    (group / "cpu.cfs_quota_us").write_text(str(quota))
                (group / "cgroup.procs").write_text(str(pid))  # the whole process, its later threads too
        except OSError as exc:
            budget.release()
            raise BudgetUnavailable(f"could not limit the workers' CPU: {exc}") from exc
        return budget

    def holds(self) -> dict[int, bool]:
        """Whether each worker is still in its group (a restarted worker would not be)."""
        out = {}
        for pid, group in self.groups.items():
            try:
                out[pid] = str(pid) in (group / "cgroup.procs").read_text().split()
            except OSError:
                out[pid] = False
        return out

    def throttled(self) -> dict[str, float]:
        """How often the kernel held a worker back for its budget, summed over the workers."""
        periods = throttled = 0
        seconds = 0.0
        for group in self.groups.values():
            with contextlib.suppress(OSError):
                stat = dict(line.split() for line in (group / "cpu.stat").read_text().splitlines() if " " in line)
                periods += int(stat.get("nr_periods", 0))
                throttled += int(stat.get("nr_throttled", 0))
                # v1 counts nanoseconds, v2 microseconds
                seconds += int(stat.get("throttled_time", 0)) / 1e9 + int(stat.get("throttled_usec", 0)) / 1e6
        return {"periods": periods, "throttled_periods": throttled, "throttled_s": round(seconds, 2)}

    def release(self) -> None:
        """Remove the groups (once their workers have exited; a group with a live process stays)."""
        parent_procs = (V2_ROOT if self.v2 else V1_ROOT) / "cgroup.procs"
        for pid, group in list(self.groups.items()):
            with contextlib.suppress(OSError):
                parent_procs.write_text(str(pid))  # back to the root group if it still runs
            with contextlib.suppress(OSError):
                group.rmdir()
            self.groups.pop(pid, None)
