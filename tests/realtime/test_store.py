"""The canonical copy keeps the newest version, whichever worker writes last."""

import pytest


def snap(session_id: str, version: int, title: str = "") -> dict:
    return {"session_id": session_id, "version": version, "title": title}


async def test_newer_versions_replace_older_ones(store):
    assert await store.put("s1", snap("s1", 1, "one"))
    assert await store.put("s1", snap("s1", 2, "two"))
    assert (await store.get("s1"))["title"] == "two"


async def test_an_older_copy_never_overwrites_a_newer_one(store):
    await store.put("s1", snap("s1", 5, "newer"))
    assert not await store.put("s1", snap("s1", 4, "older"))
    assert (await store.get("s1"))["title"] == "newer"


async def test_rooms_are_separate(store):
    await store.put("a", snap("a", 1, "A"))
    await store.put("b", snap("b", 9, "B"))
    assert (await store.get("a"))["title"] == "A"
    assert await store.get("nope") is None


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
