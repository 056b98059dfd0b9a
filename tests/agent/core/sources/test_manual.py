from datetime import UTC, datetime

import pytest

from agent.core.sources.manual import ManualSource


def test_manual_entries_are_plays_with_start_times(clock):
    source = ManualSource(clock=clock)
    assert source.read_current() is None
    token = source.change_token()
    first = source.enter("Alpha", "Artist A", bpm=124, energy=80)
    assert source.change_token() != token
    assert source.read_current() == first
    assert first.started_at == clock.now and first.energy == 80
    clock.advance(200)
    again = source.enter("Alpha", "Artist A")
    assert again.source_ref != first.source_ref
    assert source.read_history(datetime(2024, 1, 1, tzinfo=UTC)) == [first, again]
    with pytest.raises(ValueError):
        source.enter("  ")
    assert source.read_current() == again
    assert source.detect() is None and source.watch_paths() == []
