"""Reflex configuration: everything comes from the environment (see pika/settings.py)."""

import reflex as rx

from pika.settings import get_settings

settings = get_settings()

config = rx.Config(
    app_name="pika",
    telemetry_enabled=False,
    redis_url=settings.redis_url,
    api_url=settings.api_url,
    deploy_url=settings.public_url,
    cors_allowed_origins=settings.cors_origins_list,
    show_built_with_reflex=False,
    default_color_mode="dark",
    plugins=[rx.plugins.RadixThemesPlugin(theme=rx.theme(appearance="dark", accent_color="amber", radius="large"))],
    disable_plugins=[rx.plugins.SitemapPlugin],
)
