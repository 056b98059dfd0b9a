import os
import time

import pytest

from agent.core import files
from agent.core.errors import SourceError


def test_read_bytes_missing_is_none(tmp_path):
    assert files.read_bytes(tmp_path / "nope.txt") is None
    assert files.read_bytes(tmp_path) is None  # a directory is not a file


def test_read_bytes_retries_a_windows_sharing_violation(tmp_path, monkeypatch):
    target = tmp_path / "a.txt"
    target.write_bytes(b"ok")
    calls = []
    real = type(target).read_bytes

    def flaky(self):
        calls.append(1)
        if len(calls) < 3:
            error = PermissionError("in use")
            error.winerror = 32
            raise error
        return real(self)

    monkeypatch.setattr(type(target), "read_bytes", flaky)
    slept = []
    assert files.read_bytes(target, sleep=slept.append) == b"ok"
    assert slept == [0.05, 0.1]


def test_read_bytes_permission_problem_is_a_source_error(tmp_path, monkeypatch):
    target = tmp_path / "a.txt"
    target.write_bytes(b"x")

    def denied(self):
        raise PermissionError("Operation not permitted")

    monkeypatch.setattr(type(target), "read_bytes", denied)
    with pytest.raises(SourceError):
        files.read_bytes(target)


def test_stat_signature_changes_on_append_and_when_settled(tmp_path):
    target = tmp_path / "a.m3u"
    target.write_bytes(b"x")
    first = files.stat_signature([target, tmp_path / "missing"])
    with target.open("ab") as handle:
        handle.write(b"y")
    assert files.stat_signature([target, tmp_path / "missing"]) != first
    old = time.time() - 60
    os.utime(target, (old, old))
    assert files.is_settled(target)
    later = files.stat_signature([target], now=old + 1)
    assert later != files.stat_signature([target])  # the "settled" flag flips


def test_list_files_filters_by_suffix_and_hidden(tmp_path):
    for name in ("a.m3u", "B.M3U8", ".hidden.m3u", "c.txt"):
        (tmp_path / name).write_text("x")
    (tmp_path / "dir.m3u").mkdir()
    names = sorted(p.name for p in files.list_files(tmp_path, (".m3u", ".m3u8")))
    assert names == ["B.M3U8", "a.m3u"]
    assert files.list_files(tmp_path / "missing", (".m3u",)) == []
    assert files.list_files(None, (".m3u",)) == []
