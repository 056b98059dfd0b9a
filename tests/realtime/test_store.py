"""The canonical copy keeps the newest version, whichever worker writes last."""

import pytest


def snap(session_id: str, version: int, title: str = "") -> dict:
    return {"session_id": session_id, "version": version, "title": title}


async def test_newer_versions_replace_older_ones_and_hand_back_the_copy_they_replaced(store):
    assert await store.replace("s1", snap("s1", 1, "one")) == (True, None)
    assert await store.replace("s1", snap("s1", 2, "two")) == (True, snap("s1", 1, "one"))
    assert (await store.get("s1"))["title"] == "two"


async def test_an_older_copy_never_overwrites_a_newer_one(store):
    await store.replace("s1", snap("s1", 5, "newer"))
    assert await store.replace("s1", snap("s1", 4, "older")) == (False, snap("s1", 5, "newer"))
    assert (await store.get("s1"))["title"] == "newer"


async def test_rooms_are_separate(store):
    await store.replace("a", snap("a", 1, "A"))
    await store.replace("b", snap("b", 9, "B"))
    assert (await store.get("a"))["title"] == "A"
    assert await store.get("nope") is None


async def test_counts_swap_hands_back_the_previous_counts(store):
    assert await store.swap_counts("s1", {"likes_now": {"p": 1}}) is None
    assert await store.swap_counts("s1", {"likes_now": {"p": 2}}) == {"likes_now": {"p": 1}}
    assert await store.get_counts("s1") == {"likes_now": {"p": 2}}


async def test_forgetting_a_room_drops_its_copy_and_counts_only(store):
    await store.replace("a", snap("a", 1, "A"))
    await store.swap_counts("a", {"likes_now": {}})
    await store.replace("b", snap("b", 1, "B"))
    await store.forget("a")
    assert (await store.get("a"), await store.get_counts("a")) == (None, None)
    assert (await store.get("b"))["title"] == "B"


async def test_listeners_are_unique_dancers_of_the_last_five_minutes(store):
    await store.seen("s1", ["d1", "d2"], now=1000.0)
    await store.seen("s1", ["d1"], now=1100.0)  # the same dancer again is still one listener
    await store.seen("s2", ["d3"], now=1100.0)
    assert await store.listener_count("s1", now=1200.0) == 2
    # d2 was last seen at 1000: gone after 300 s; d1 (seen at 1100) stays.
    assert await store.listener_count("s1", now=1350.0) == 1
    assert await store.listener_count("s2", now=1350.0) == 1


@pytest.mark.parametrize("stack", ["production"], indirect=True)
async def test_only_one_worker_leads_at_a_time(store):
    assert await store.lead("w1", 10)
    assert await store.lead("w1", 10)  # renewing
    assert not await store.lead("w2", 10)
