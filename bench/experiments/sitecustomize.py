"""Experiments on the app without editing it: put this folder on the app's PYTHONPATH.

    python -m bench.fanout ... --app-env PYTHONPATH=$PWD/bench/experiments --app-env PIKA_BENCH_GCLOG=1

Each switch is off unless its environment variable is set, so the folder on the path alone changes
nothing. Used for docs/performance.md "With the two fixes applied"; not part of the app.

- PIKA_BENCH_GCLOG=1: log every collection of the oldest generation (and any slower than 20 ms)
  to the app's log as `GCLOG pid=… mono=… gen=… ms=… cpu_ms=… wall=…`; PIKA_BENCH_GCLOG=all: every
  collection.
- PIKA_BENCH_GCTYPES=1: at every 5th young collection, log what the young generation holds
  (`GCTYPES pid=… n=… top=[(type, count)…] biggest=[(len, type)…]`).
- PIKA_BENCH_GCTHRESHOLD=50000,20,100: `gc.set_threshold(...)` in every process of the app.
- PIKA_BENCH_STOREFIX=1: the room store's Redis pool waits for a free connection
  (`BlockingConnectionPool`, 50 connections, 10 s) instead of raising MaxConnectionsError.
"""

import os

if os.environ.get("PIKA_BENCH_STOREFIX") == "1":
    try:
        import redis.asyncio as _redis

        import pika.realtime.store as _store

        _original_init = _store.RedisRoomStore.__init__

        def _init(self, url, *args, **kwargs):
            _original_init(self, url, *args, **kwargs)
            self._redis.connection_pool = _redis.BlockingConnectionPool.from_url(
                url, decode_responses=True, max_connections=50, timeout=10
            )
            print("bench experiment: blocking Redis pool in the room store", flush=True)

        _store.RedisRoomStore.__init__ = _init
    except Exception as exc:  # an experiment must never stop the app
        print("bench experiment STOREFIX failed:", exc, flush=True)

if os.environ.get("PIKA_BENCH_GCTHRESHOLD"):
    import gc

    gc.set_threshold(*(int(x) for x in os.environ["PIKA_BENCH_GCTHRESHOLD"].split(",")))

if os.environ.get("PIKA_BENCH_GCLOG") in ("1", "all"):
    import gc
    import sys
    import time

    _started: dict[str, float] = {}

    def _gc_log(phase, info):
        if phase == "start":
            _started["t"], _started["cpu"] = time.perf_counter(), time.thread_time()
            return
        took = (time.perf_counter() - _started.get("t", time.perf_counter())) * 1000
        cpu = (time.thread_time() - _started.get("cpu", time.thread_time())) * 1000
        if info.get("generation") == 2 or took > 20 or os.environ["PIKA_BENCH_GCLOG"] == "all":
            sys.stderr.write(
                f"GCLOG pid={os.getpid()} mono={time.monotonic():.3f} gen={info.get('generation')} "
                f"ms={took:.1f} cpu_ms={cpu:.1f} collected={info.get('collected')} wall={time.time():.3f}\n"
            )
            sys.stderr.flush()

    gc.callbacks.append(_gc_log)

if os.environ.get("PIKA_BENCH_GCTYPES") == "1":
    # What the young generation holds when a collection starts (every 5th young collection).
    import collections
    import gc
    import sys

    _seen = {"n": 0}

    def _gc_types(phase, info):
        if phase != "start" or info.get("generation") != 0:
            return
        _seen["n"] += 1
        if _seen["n"] % 5:
            return
        young = gc.get_objects(generation=0)
        kinds = collections.Counter(type(o).__qualname__ for o in young)
        big = sorted(((len(o), type(o).__qualname__) for o in young if isinstance(o, (list, dict, set, tuple))),
                     reverse=True)[:5]
        sys.stderr.write(f"GCTYPES pid={os.getpid()} n={len(young)} top={kinds.most_common(12)} biggest={big}\n")
        sys.stderr.flush()

    gc.callbacks.append(_gc_types)
