"""Start-up and shut-down of the live machinery, once per backend worker."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
import uuid

import reflex as rx
from starlette.concurrency import run_in_threadpool

from pika.db import migrate
from pika.realtime.chores import Chores
from pika.realtime.hub import hub
from pika.realtime.relay import make_relay
from pika.realtime.store import make_store
from pika.settings import get_settings

log = logging.getLogger(__name__)


@contextlib.asynccontextmanager
async def lifespan(app: rx.App):
    settings = get_settings()
    # A push to thousands of sockets allocates many short-lived objects that outlive two young
    # collections; with the default thresholds, full collections then stalled a worker for
    # 300–400 ms every few seconds at 2,000 dancers (docs/performance.md).
    gc.set_threshold(50_000, 20, 100)
    await run_in_threadpool(migrate)
    store = make_store(settings.redis_url)
    relay = make_relay(settings.redis_url)
    from pika.pages.session_state import DancerRoomState

    hub.bind(app, DancerRoomState, store, relay)
    worker_id = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
    tasks = [
        asyncio.create_task(Chores(hub, settings, worker_id).run(), name="pika-chores"),
        asyncio.create_task(relay.run(), name="pika-room-relay"),
    ]
    if settings.demo:
        from pika.demo import run_demo

        async def demo_when_leader():
            # Only one worker plays the demo set.
            while not await store.lead(worker_id, 10):
                await asyncio.sleep(5)
            await run_demo(hub, settings.demo_track_seconds)

        tasks.append(asyncio.create_task(demo_when_leader(), name="pika-demo"))
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await store.close()
        await relay.close()
