"""What the server costs: CPU seconds and memory of a process tree, plus the machine's other load."""

from __future__ import annotations

import contextlib
import shutil
import signal
import subprocess
import time
from pathlib import Path

import psutil

MB = 1024 * 1024


class ProcessTree:
    """A root process and all its descendants, looked up afresh at each sample (workers may restart)."""

    def __init__(self, root_pid: int) -> None:
        self.root_pid = root_pid
        self._known: dict[int, psutil.Process] = {}

    def processes(self) -> list[psutil.Process]:
        try:
            root = self._known.get(self.root_pid) or psutil.Process(self.root_pid)
            found = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []
        # Keep the same Process objects so cpu_times/pids stay consistent between samples.
        procs = []
        for proc in found:
            procs.append(self._known.setdefault(proc.pid, proc))
        return procs

    def cpu(self) -> float:
        total = 0.0
        for proc in self.processes():
            with contextlib.suppress(psutil.Error):
                t = proc.cpu_times()
                total += t.user + t.system
        return total

    def rss(self) -> int:
        total = 0
        for proc in self.processes():
            with contextlib.suppress(psutil.Error):
                total += proc.memory_info().rss
        return total

    def pss(self) -> int:
        """Proportional set size: shared pages of forked workers counted once in all."""
        total = 0
        for proc in self.processes():
            with contextlib.suppress(psutil.Error):
                total += proc.memory_full_info().pss
        return total

    def describe(self) -> list[str]:
        out = []
        for proc in self.processes():
            with contextlib.suppress(psutil.Error):
                out.append(f"{proc.pid} {' '.join(proc.cmdline())[:100]}")
        return out


class Single(ProcessTree):
    """One process without its children (redis-server)."""

    def processes(self) -> list[psutil.Process]:
        try:
            return [self._known.setdefault(self.root_pid, psutil.Process(self.root_pid))]
        except psutil.NoSuchProcess:
            return []


class Nothing(ProcessTree):
    def __init__(self) -> None:
        super().__init__(-1)

    def processes(self) -> list[psutil.Process]:
        return []


def machine_busy() -> float:
    """CPU seconds all processes on the machine spent busy (not idle, not waiting on I/O)."""
    t = psutil.cpu_times()
    return t.user + t.nice + t.system + getattr(t, "irq", 0.0) + getattr(t, "softirq", 0.0) + getattr(t, "steal", 0.0)


def own_cpu() -> float:
    return time.process_time()


class Profiler:
    """py-spy sampling the app's processes (collapsed stacks) until stopped. It costs CPU: profiled runs
    are for finding where time goes, not for the reported figures."""

    def __init__(self, pid: int, out: Path, rate: int = 100) -> None:
        binary = shutil.which("py-spy") or str(Path(__file__).resolve().parents[1] / ".venv" / "bin" / "py-spy")
        self.out = out
        self._err = open(out.with_suffix(".log"), "w")  # noqa: SIM115  (closed in stop)
        self.proc = subprocess.Popen(
            [
                binary,
                "record",
                "--pid",
                str(pid),
                "--subprocesses",
                "--nonblocking",
                "--gil",  # only the thread holding the GIL: where the worker's Python CPU goes, not who waits
                "--rate",
                str(rate),
                "--format",
                "raw",
                "--output",
                str(out),
            ],
            stdout=self._err,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)  # py-spy writes its output on SIGINT
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self._err.close()
