"""Typed settings from the environment, with embedded defaults that need no setup."""

from __future__ import annotations

import functools
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from pika.domain.limits import parse_overrides

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def origin_of(url: str) -> str:
    """`https://pika.example/live` → `https://pika.example` (what browsers send as Origin)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class Settings(BaseSettings):
    """Pika configuration. Every field can be set as an environment variable (upper case)."""

    model_config = SettingsConfigDict(env_prefix="", extra="ignore", case_sensitive=False)

    # Storage: SQLite file by default; postgresql+psycopg://… in production.
    database_url: str = Field(default=f"sqlite:///{PROJECT_ROOT / 'data' / 'pika.db'}")
    # Redis switches Reflex's state manager, the socket rooms and the shared counters.
    redis_url: str | None = None

    # Where dancers reach the app (join links, QR codes) and where the backend listens.
    public_url: str = "http://localhost:3000"
    api_url: str = "http://localhost:3000"
    # Origins (comma-separated) whose browsers may call the API and open the socket; empty means
    # PUBLIC_URL's origin only. "*" opens both to every site (not for production).
    cors_origins: str = ""

    # Rate limits other than the table in pika/domain/limits.py, by limit name:
    # "connects=500/60,sign-in=5/3" (count/seconds). For tests, benchmarks, one-NAT venues.
    limit_overrides: str = ""

    # Start the demo DJ and a simulated set (README's run command turns this on).
    demo: bool = False
    demo_track_seconds: float = 8.0

    # Agent API input bounds.
    max_body_bytes: int = 256 * 1024
    max_batch_plays: int = 500

    # Signs short-lived browser state (OIDC round trips). Set it in production, the same on every
    # worker; without it a random per-process key is used and OIDC sign-in stays off.
    secret_key: str | None = None

    # OIDC sign-in for DJs (hidden unless issuer, client id and secret are all set).
    oidc_issuer: str | None = None
    oidc_client_id: str | None = None
    oidc_client_secret: str | None = None
    oidc_label: str = "Sign in with your organisation"

    # Session lifecycle.
    reconnecting_after_seconds: int = 120
    idle_end_after_seconds: int = 6 * 3600

    @field_validator("redis_url", "secret_key", "oidc_issuer", "oidc_client_id", "oidc_client_secret", mode="before")
    @classmethod
    def _empty_is_none(cls, value: str | None) -> str | None:
        return value or None

    @field_validator("limit_overrides")
    @classmethod
    def _valid_overrides(cls, value: str) -> str:
        parse_overrides(value)  # a typo stops the start-up instead of silently keeping the defaults
        return value

    @property
    def limit_overrides_map(self) -> dict[str, tuple[int, int]]:
        return parse_overrides(self.limit_overrides)

    @property
    def cors_origins_list(self) -> list[str]:
        listed = [o.strip().rstrip("/") for o in self.cors_origins.split(",") if o.strip()]
        return listed or [origin_of(self.public_url)]

    @property
    def oidc_enabled(self) -> bool:
        return bool(self.oidc_issuer and self.oidc_client_id and self.oidc_client_secret and self.secret_key)

    @property
    def secure_cookies(self) -> bool:
        # Browsers only send Secure cookies over HTTPS: production has it, localhost does not.
        return self.public_url.startswith("https://")

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@functools.cache
def get_settings() -> Settings:
    return Settings()
