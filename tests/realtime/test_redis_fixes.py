"""redis-py asks for its own version once per process, not once per connection."""

from importlib import metadata

import redis.asyncio

from pika.realtime import redis_fixes


def test_new_connections_do_not_rescan_package_metadata(monkeypatch):
    calls = []
    real_version = metadata.version

    def counting_version(name):
        calls.append(name)
        return real_version(name)

    monkeypatch.setattr(metadata, "version", counting_version)
    monkeypatch.setattr(redis.utils, "get_lib_version", redis.utils.get_lib_version.__wrapped__
                        if hasattr(redis.utils.get_lib_version, "__wrapped__") else redis.utils.get_lib_version)
    redis_fixes.install()
    connections = [redis.asyncio.Connection(host="127.0.0.1", port=1) for _ in range(50)]

    assert len(connections) == 50
    assert calls.count("redis") <= 1
