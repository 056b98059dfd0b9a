"""Command line of `pika-agent`: settings from flags (over PIKA_AGENT_* and the saved config), then the app."""

from __future__ import annotations

import argparse
import logging
import sys
from importlib import metadata
from pathlib import Path

from agent.core.config import ENV_PREFIX, AgentConfig, check_server_url, default_config_dir

FALLBACK_VERSION = "0.1.0"  # a PyInstaller build has no package metadata


def version() -> str:
    try:
        return metadata.version("pika")
    except metadata.PackageNotFoundError:
        return FALLBACK_VERSION


def parser() -> argparse.ArgumentParser:
    from agent.core.sources import SOURCES

    p = argparse.ArgumentParser(
        prog="pika-agent",
        description="Pika! DJ agent: detects what you play and shows the dance floor live.",
        epilog=f"Every option can also be set with an environment variable, e.g. {ENV_PREFIX}SERVER.",
    )
    p.add_argument("--version", action="version", version=f"pika-agent {version()}")
    p.add_argument("--server", help="Pika server address, e.g. https://pika.example.com")
    p.add_argument("--source", choices=sorted(SOURCES), help="DJ software to watch (skips the picker)")
    p.add_argument("--path", help="folder or file of that software's history (overrides auto-detection)")
    p.add_argument("--config-dir", type=Path, help=f"where settings and the token live (default {default_config_dir()})")
    p.add_argument("--data-dir", type=Path, help="where queued plays and your marks live")
    p.add_argument("--self-test", action="store_true", help=argparse.SUPPRESS)  # used by agent/build.py
    p.add_argument("--log-file", type=Path, help="write a debug log here (default: agent.log in the data folder)")
    return p


def log_to_file(path: Path, *, debug: bool) -> None:
    """Never log to the terminal (it would scribble over the UI): a file is what support asks for."""
    root = logging.getLogger()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        handler = logging.NullHandler()  # an unwritable folder costs the log, not the set
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    if not debug:
        logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per crowd poll otherwise


def self_test() -> int:
    """Start the UI headless in a throwaway folder, then quit: proves a frozen build has all it needs."""
    import tempfile

    from watchdog.observers import Observer

    from agent.core.qr import qr_text
    from agent.tui.app import make_app
    from agent.tui.screens.signin import SignInScreen

    with tempfile.TemporaryDirectory(prefix="pika-agent-") as folder:
        config = AgentConfig(server="http://127.0.0.1:9", config_dir=Path(folder) / "config",
                             data_dir=Path(folder) / "data")
        app = make_app(config)
        seen = []

        async def look_and_quit(pilot) -> None:
            await pilot.pause(0.2)
            seen.append(type(pilot.app.screen))
            pilot.app.exit()

        app.run(headless=True, size=(100, 30), auto_pilot=look_and_quit)
        observer = Observer()  # the platform's native file watcher must be bundled too
        observer.start()
        observer.stop()
        observer.join(5)
    if seen != [SignInScreen] or "█" not in qr_text("https://pika.example/live/abc"):
        print(f"pika-agent self-test FAILED: {seen}", file=sys.stderr)
        return 1
    print("pika-agent self-test ok")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.self_test:
        return self_test()
    if args.server:
        try:
            args.server = check_server_url(args.server)
        except ValueError as exc:
            print(f"pika-agent: {exc}", file=sys.stderr)
            return 2
    if args.path and not args.source:
        print("pika-agent: --path needs --source (which software's files are these?)", file=sys.stderr)
        return 2
    config = AgentConfig.load(server=args.server, source=args.source, path=args.path,
                              config_dir=args.config_dir, data_dir=args.data_dir)
    log_to_file(args.log_file or config.data_dir / "agent.log", debug=bool(args.log_file))
    from agent.tui.app import make_app  # Textual loads only when the UI really starts

    make_app(config, auto_source=bool(args.source)).run()
    return 0
