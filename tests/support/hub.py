"""Bind the app's room hub for one test and put the previous binding back afterwards, so no test
leaves it holding a store tied to its own (by then closed) event loop."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from pika.realtime.hub import RoomHub, hub
from pika.realtime.store import RoomStore


@contextmanager
def hub_bound_to(app, state_cls: type, store: RoomStore) -> Iterator[RoomHub]:
    previous = (hub.app, hub.state_name, hub.store, hub.relay)
    hub.bind(app, state_cls, store)
    try:
        yield hub
    finally:
        hub.app, hub.state_name, hub.store, hub.relay = previous
