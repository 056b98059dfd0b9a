"""The `pika-agent` command line."""

from __future__ import annotations

import logging
import subprocess
import sys

import pytest

from agent import cli
from tests.support.server import ROOT


def test_version_runs_without_textual_or_a_terminal():
    out = subprocess.run([sys.executable, "-m", "agent", "--version"], cwd=ROOT, capture_output=True, text=True,
                         timeout=60, stdin=subprocess.DEVNULL)
    assert out.returncode == 0 and out.stdout.startswith("pika-agent ")


@pytest.mark.parametrize(("argv", "message"), [
    (["--server", "pika.example.com"], "must look like"),
    (["--path", "/music"], "--path needs --source"),
])
def test_bad_arguments_get_a_sentence_not_a_traceback(argv, message, capsys):
    assert cli.main(argv) == 2
    assert message in capsys.readouterr().err


def test_an_unknown_source_is_refused_by_name(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--source", "winamp"])
    assert "invalid choice: 'winamp'" in capsys.readouterr().err


def test_the_factory_gets_the_command_line_settings(tmp_path, monkeypatch):
    seen = {}

    class FakeApp:
        def run(self):
            seen["ran"] = True

    def fake_make_app(config, auto_source):
        seen.update(config=config, auto_source=auto_source)
        return FakeApp()

    monkeypatch.setattr("agent.tui.app.make_app", fake_make_app)
    monkeypatch.setattr(logging.getLogger(), "handlers", [])  # main() adds its file handler here
    monkeypatch.setattr(logging.getLogger(), "level", logging.WARNING)
    monkeypatch.delenv("PIKA_AGENT_SERVER", raising=False)
    assert cli.main(["--server", "https://pika.example/", "--source", "virtualdj", "--path", str(tmp_path),
                     "--config-dir", str(tmp_path / "cfg")]) == 0
    config = seen["config"]
    assert (config.server, config.source, config.path) == ("https://pika.example", "virtualdj", str(tmp_path))
    assert seen["auto_source"] and seen["ran"]
    assert (tmp_path / "cfg" / "data" / "agent.log").exists()  # logs go to a file, never the terminal
