"""The backend server (Granian, started by `reflex run --env prod`) runs its event loop on uvloop.

Granian picks uvloop by itself when it is installed; a push to 2,000 sockets costs ~13% less CPU
on it (docs/perf/history.md). This guards the dependency, not Granian's choice logic."""

from __future__ import annotations

import asyncio

from granian._loops import loops


def test_granian_builds_a_uvloop_event_loop():
    loop = loops.get("auto")  # what Granian's workers run on: Reflex leaves the loop on "auto"
    try:
        assert type(loop).__module__.split(".")[0] == "uvloop"
    finally:
        loop.close()
        asyncio.set_event_loop(None)
