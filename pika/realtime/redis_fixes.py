"""A small fix to redis-py, kept apart so it could be proposed upstream.

Every new redis-py connection asks `importlib.metadata` for redis-py's own version (to name the
client to the server): a scan of site-packages and a parse of a METADATA file, about a
millisecond of the event loop each. A join storm makes the pools open hundreds of connections
at once (py-spy: 11% of the worker's time during a storm of likes). The installed version cannot
change while the process runs, so it is looked up once.
"""

from __future__ import annotations

import functools

import redis.utils


def install() -> None:
    current = redis.utils.get_lib_version
    if not hasattr(current, "cache_info"):  # idempotent: every worker imports the app once, tests many times
        redis.utils.get_lib_version = functools.cache(current)
