"""The PyInstaller one-file binary builds on this OS, starts, and loads its UI."""

from __future__ import annotations

import subprocess

import pytest

from agent import build

pytestmark = pytest.mark.slow


def test_the_one_file_binary_builds_and_answers_version(tmp_path):
    binary = build.build(tmp_path / "dist")  # about a minute
    assert binary.name == build.binary_name() and binary.stat().st_size > 1_000_000
    version = subprocess.run([str(binary), "--version"], capture_output=True, text=True, timeout=120,
                             stdin=subprocess.DEVNULL)
    assert version.returncode == 0 and version.stdout.startswith("pika-agent 0."), version
    # Textual, watchdog's native observer and the QR code all made it into the bundle.
    check = subprocess.run([str(binary), "--self-test"], capture_output=True, text=True, timeout=120,
                           stdin=subprocess.DEVNULL)
    assert check.returncode == 0 and "self-test ok" in check.stdout, check
