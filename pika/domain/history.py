"""The set so far, cut into blocks so that a play sends phones a few rows instead of the whole history.

Reflex sends a changed state field whole. With the history in one list, every play re-sent all of
it to every phone (30 rows, ~5 KB a phone mid-set). Here each play belongs to a block of BLOCK
consecutive plays of its session (block = position // BLOCK, position 0 = the set's first play):

- the newest block ("recent") grows by one row per play;
- the SLOTS blocks before it sit in a ring of fields, block b in slot b % SLOTS, newest first from
  slot `head`. A slot changes only when the block after it fills, and then only the one slot
  that receives it.

So a play sends at most one row more than a block and one slot (7 rows), never the whole history,
and the page still shows the last SLOTS × BLOCK (+ the recent block) plays, newest first.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

BLOCK = 6
SLOTS = 5
RECENT = "recent"
KEYS = (RECENT, *(str(slot) for slot in range(SLOTS)))
# How many plays of history the blocks can hold: the recent block and the full ring.
MOST_SHOWN = BLOCK * (SLOTS + 1)

T = TypeVar("T")


def cut(items: Sequence[tuple[int, T]]) -> tuple[dict[str, list[T]], int]:
    """Place (position, item) pairs, newest first, into blocks; returns ({key: items}, head).

    Items older than the ring are left out. Positions are the plays' places in the whole set,
    so the same play lands in the same block every time the picture is rebuilt.
    """
    blocks: dict[str, list[T]] = {key: [] for key in KEYS}
    if not items:
        return blocks, SLOTS - 1
    top = items[0][0] // BLOCK
    for position, item in items:
        block = position // BLOCK
        if block == top:
            blocks[RECENT].append(item)
        elif 0 < top - block <= SLOTS:
            blocks[str(block % SLOTS)].append(item)
    return blocks, (top - 1) % SLOTS


def ring_order(head: int) -> list[str]:
    """The ring's slots, newest block first."""
    return [str((head - age) % SLOTS) for age in range(SLOTS)]


def in_order(blocks: dict[str, list[T]], head: int) -> list[T]:
    """The history as the page shows it: the recent block, then the ring from its newest block."""
    return [item for key in (RECENT, *ring_order(head)) for item in blocks[key]]
