"""Build the one-file `pika-agent` binary for this OS with PyInstaller.

    python agent/build.py                 # → dist/pika-agent (pika-agent.exe on Windows)
    python agent/build.py --dist out/     # somewhere else

PyInstaller cannot cross-compile: each OS builds its own binary (the release workflow runs
this on Linux, macOS and Windows). Only the agent goes in: the server package is excluded.
"""

from __future__ import annotations

import argparse
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NAME = "pika-agent"

# Imported lazily (by name) at run time, so PyInstaller's import scan cannot see them.
COLLECT = ["textual.widgets", "textual.css", "agent"]
# Heavy things the agent never needs; keeping them out keeps the binary small.
EXCLUDE = ["pika", "reflex", "sqlmodel", "sqlalchemy", "alembic", "psycopg", "redis", "fastapi", "uvicorn",
           "PIL", "tkinter", "pytest", "hypothesis", "playwright"]


def binary_name() -> str:
    return NAME + (".exe" if platform.system() == "Windows" else "")


def pyinstaller_args(dist: Path, work: Path) -> list[str]:
    args = [
        str(ROOT / "agent" / "__main__.py"),
        "--onefile", "--console", "--noconfirm", "--clean",
        "--name", NAME,
        "--paths", str(ROOT),
        "--distpath", str(dist),
        "--workpath", str(work / "build"),
        "--specpath", str(work),
        "--copy-metadata", "pika",  # so `pika-agent --version` knows its version
    ]
    for package in COLLECT:
        args += ["--collect-submodules", package]
    for module in EXCLUDE:
        args += ["--exclude-module", module]
    return args


def build(dist: Path) -> Path:
    dist.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="pika-agent-build-") as work:
        subprocess.run([sys.executable, "-m", "PyInstaller", *pyinstaller_args(dist, Path(work))], check=True,
                       cwd=ROOT)
    binary = dist / binary_name()
    if not binary.is_file():
        raise SystemExit(f"PyInstaller finished but {binary} is missing")
    return binary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="where the binary goes (default: dist/)")
    args = parser.parse_args(argv)
    binary = build(args.dist.resolve())
    # The binary must start and load its UI before it is worth shipping.
    subprocess.run([str(binary), "--version"], check=True)
    subprocess.run([str(binary), "--self-test"], check=True)
    print(f"built {binary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
