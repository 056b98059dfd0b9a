"""Reflex configuration: everything comes from the environment (see pika/settings.py)."""

import os

import reflex as rx

from pika.settings import get_settings

settings = get_settings()

if settings.redis_url:
    # Without it every event of a dancer (join, tap) locks, loads and saves their state in Redis:
    # the largest part of a tap's and a join's cost at 2,000 dancers. Reflex's opportunistic lock
    # keeps the state in the worker holding the dancer's socket for a while after an event;
    # another worker that needs it (a reconnect landing elsewhere) asks for it back through Redis.
    # An operator can still turn it off or change the hold with the same variables.
    os.environ.setdefault("REFLEX_OPLOCK_ENABLED", "true")
    os.environ.setdefault("REFLEX_OPLOCK_HOLD_TIME_MS", "10000")

# Without Redis, Reflex's production default is its disk manager: every event of a dancer pickles
# their state to a file, and the folder is scanned every 2 s. Nothing in a dancer's state needs to
# outlive the process (the page rebuilds it from the browser's dancer id and the database when it
# reconnects), so the embedded default keeps states in memory: at 2,000 dancers a join costs
# 6-7 ms of CPU instead of ~10, a play ~0.9 s instead of ~1.05 (docs/performance.md). Passed only
# without Redis: naming a mode would stop Reflex from picking Redis by itself.
embedded = {} if settings.redis_url else {"state_manager_mode": "memory"}

config = rx.Config(
    app_name="pika",
    telemetry_enabled=False,
    redis_url=settings.redis_url,
    api_url=settings.api_url,
    deploy_url=settings.public_url,
    cors_allowed_origins=settings.cors_origins_list,
    show_built_with_reflex=False,
    # Under a storm of joins or taps a dancer's event can wait seconds for the database; a lock
    # that expires meanwhile throws the dancer's state away (their id with it), so overload must
    # cost time, never state. Reflex's defaults: 10 s expiry, a warning at 1 s printed for every
    # event, which under load is itself a large cost.
    redis_lock_expiration=30_000,
    redis_lock_warning_threshold=10_000,
    default_color_mode="dark",
    plugins=[rx.plugins.RadixThemesPlugin(theme=rx.theme(appearance="dark", accent_color="amber", radius="large"))],
    disable_plugins=[rx.plugins.SitemapPlugin],
    **embedded,
)
