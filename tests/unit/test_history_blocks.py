"""The history cut into blocks: the page reads it newest first, and a play changes only a few rows."""

from __future__ import annotations

import json

from pika.domain import history
from pika.domain.history import BLOCK, KEYS, MOST_SHOWN, RECENT, SLOTS, cut, in_order


def history_after(plays: int) -> list[tuple[int, str]]:
    """The history once `plays` tracks have gone by: (position, name), newest first."""
    return [(p, f"play {p}") for p in reversed(range(plays))]


def test_no_history_is_empty_blocks():
    blocks, head = cut([])
    assert blocks == {key: [] for key in KEYS}
    assert in_order(blocks, head) == []


def test_the_page_order_is_the_history_newest_first():
    for plays in range(1, 80):
        blocks, head = cut(history_after(plays))
        shown = in_order(blocks, head)
        # The page shows the newest plays, newest first, and never fewer than a full ring.
        assert shown == [name for _, name in history_after(plays)][: len(shown)]
        assert len(shown) >= min(plays, SLOTS * BLOCK)
        assert len(shown) <= MOST_SHOWN


def test_a_play_changes_the_recent_block_and_at_most_one_slot():
    before, _ = cut(history_after(1))
    most_rows = 0
    for plays in range(2, 100):
        after, _ = cut(history_after(plays))
        changed = [key for key in KEYS if after[key] != before[key]]
        assert RECENT in changed
        assert len(changed) <= 2, (plays, changed)
        most_rows = max(most_rows, sum(len(after[key]) for key in changed))
        before = after
    assert most_rows == BLOCK + 1  # the play that fills a slot: the slot's block and the new recent row


def test_a_mid_set_play_sends_a_fifth_of_the_rows():
    """30+ plays in: one play's changes, summed over 100 plays, against the whole history each time."""
    sent = whole = 0
    before, _ = cut(history_after(40))
    for plays in range(41, 141):
        after, head = cut(history_after(plays))
        sent += sum(len(json.dumps(after[key])) for key in KEYS if after[key] != before[key])
        whole += len(json.dumps(in_order(after, head)))
        before = after
    assert sent < whole / 5


def test_a_play_keeps_its_block_however_the_picture_is_rebuilt():
    # Cut from the newest 36 plays or from more, the same play lands in the same slot.
    full, head = cut(history_after(50))
    trimmed, head_again = cut(history_after(50)[:MOST_SHOWN])
    assert (full, head) == (trimmed, head_again)


def test_ring_order_starts_at_the_head_and_visits_every_slot():
    for head in range(SLOTS):
        order = history.ring_order(head)
        assert order[0] == str(head)
        assert sorted(order) == sorted(KEYS[1:])
