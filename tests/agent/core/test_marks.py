"""Peak/brick marks and notes: local, per play, readable after the set."""

from __future__ import annotations

import pytest

from agent.core.marks import NOTE_MAX, Marks


def test_marks_are_kept_per_play_and_survive_a_restart(tmp_path):
    marks = Marks(tmp_path / "marks.db")
    marks.add("s1", "p1", "Nova Lane", "Slow Burn", "peak")
    marks.add("s1", "p1", "Nova Lane", "Slow Burn", "note", "  floor filled up  ")
    marks.add("s1", "p2", "Ada Lux", "Opener", "brick")
    marks.add("s2", "p9", "Other", "Set", "peak")
    marks.close()
    marks = Marks(tmp_path / "marks.db")
    assert [(m.kind, m.note) for m in marks.for_play("s1", "p1")] == [("peak", ""), ("note", "floor filled up")]
    assert [m.title for m in marks.for_session("s1")] == ["Slow Burn", "Slow Burn", "Opener"]
    marks.close()


def test_bad_marks_are_refused_and_long_notes_trimmed(tmp_path):
    marks = Marks(tmp_path / "marks.db")
    with pytest.raises(ValueError):
        marks.add("s", "p", "a", "t", "bomb")
    with pytest.raises(ValueError):
        marks.add("s", "p", "a", "t", "note", "   ")
    assert len(marks.add("s", "p", "a", "t", "note", "x" * 2000).note) == NOTE_MAX
    marks.close()
