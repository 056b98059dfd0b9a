"""Settings precedence, the owner-only token file, and the remembered session."""

from __future__ import annotations

import json
import os
import stat

import pytest

from agent.core.config import AgentConfig, check_server_url
from agent.core.remembered import RememberedSession, forget_session, load_session, save_session
from agent.core.token_store import forget_token, load_token, save_token, token_path


def test_command_line_beats_environment_beats_saved_file(tmp_path):
    config_dir = tmp_path / "cfg"
    config_dir.mkdir()
    (config_dir / "config.json").write_text(json.dumps({"server": "https://saved.example", "source": "mixxx",
                                                        "token": "never-read-from-here"}))
    env = {"PIKA_AGENT_SOURCE": "traktor", "PIKA_AGENT_PATH": "/env/path"}
    config = AgentConfig.load(env=env, config_dir=config_dir, path="/cli/path")
    assert (config.server, config.source, config.path) == ("https://saved.example", "traktor", "/cli/path")
    assert config.data_dir == config_dir / "data"  # a separate config folder keeps its own queue
    assert not hasattr(config, "token")


def test_a_broken_config_file_is_ignored_not_fatal(tmp_path):
    (tmp_path / "config.json").write_text("{not json")
    assert AgentConfig.load(env={}, config_dir=tmp_path).source is None
    (tmp_path / "config.json").write_text("[1, 2]")
    assert AgentConfig.load(env={}, config_dir=tmp_path).source is None


def test_save_keeps_the_choices_but_never_the_token(tmp_path):
    config = AgentConfig(server="https://pika.example", source="virtualdj", path="/x", config_dir=tmp_path,
                         data_dir=tmp_path / "d")
    config.save()
    assert json.loads(config.config_file.read_text()) == {"server": "https://pika.example", "source": "virtualdj",
                                                         "path": "/x"}


@pytest.mark.parametrize("url", ["", "pika.example.com", "ftp://pika.example", "http://", "http://a b"])
def test_server_addresses_that_cannot_work_are_refused_with_a_hint(url):
    with pytest.raises(ValueError, match="must look like"):
        check_server_url(url)


def test_server_address_is_cleaned():
    assert check_server_url(" https://pika.example.com/ ") == "https://pika.example.com"


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_token_file_is_owner_only_from_the_start(tmp_path):
    old_umask = os.umask(0)  # even a careless umask must not make it readable by others
    try:
        path = save_token(tmp_path / "cfg", "pk_dj_secret\n")
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "cfg").stat().st_mode) == 0o700
    assert load_token(tmp_path / "cfg") == "pk_dj_secret"
    assert list((tmp_path / "cfg").iterdir()) == [path]  # no temporary file left behind


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_loosened_permissions_are_tightened_again(tmp_path):
    path = save_token(tmp_path, "pk_dj_secret")
    path.chmod(0o644)
    assert load_token(tmp_path) == "pk_dj_secret"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_missing_empty_or_garbled_token_is_none(tmp_path):
    assert load_token(tmp_path) is None
    token_path(tmp_path).write_bytes(b"")
    assert load_token(tmp_path) is None
    token_path(tmp_path).write_bytes(b"\xff\xfe\x00bad")
    assert load_token(tmp_path) is None
    forget_token(tmp_path)
    forget_token(tmp_path)  # twice is fine
    assert not token_path(tmp_path).exists()


def test_remembered_session_is_per_server_and_survives_garbage(tmp_path):
    path = tmp_path / "session.json"
    session = RememberedSession("https://pika.example", "abc123", "Friday", "https://pika.example/live/abc123", "nova")
    save_session(path, session)
    assert load_session(path, "https://pika.example/") == session
    assert load_session(path, "https://other.example") is None
    path.write_text('{"server": 1}')
    assert load_session(path, "https://pika.example") is None
    path.write_text("nonsense")
    assert load_session(path, "https://pika.example") is None
    forget_session(path)
    forget_session(path)
    assert load_session(path, "https://pika.example") is None
