"""LIMIT_OVERRIDES: parsed strictly, applied by limit name wherever a limit is checked."""

import pytest

from pika.domain.limits import LIKES, SIGN_IN, SOCKET_CONNECTS, LimitOverrideError, effective, parse_overrides
from pika.realtime.limiter import MemoryLimiter
from pika.settings import Settings


def test_parses_names_counts_and_seconds():
    assert parse_overrides("connects=500/60, sign-in=5/3") == {"connects": (500, 60), "sign-in": (5, 3)}
    assert parse_overrides("") == {}
    assert parse_overrides(" , LIKES=3/2,") == {"likes": (3, 2)}


@pytest.mark.parametrize("text", ["connects", "connects=500", "connects=/60", "connects=a/60", "connects=5/0",
                                  "connects=0/60", "=5/60", "con nects=5/60", "likes=1.5/60"])
def test_refuses_what_is_not_name_count_seconds(text):
    with pytest.raises(LimitOverrideError):
        parse_overrides(text)


def test_an_override_replaces_only_the_limit_it_names():
    overrides = {"connects": (500, 60)}
    assert effective(SOCKET_CONNECTS, overrides).count == 500
    assert effective(LIKES, overrides) is LIKES


def test_settings_refuse_a_typo_at_start_up():
    with pytest.raises(ValueError, match="name=count/seconds"):
        Settings(limit_overrides="sign-in:5/3")
    assert Settings(limit_overrides="sign-in=5/3").limit_overrides_map == {"sign-in": (5, 3)}


async def test_the_limiter_applies_overrides_for_every_caller():
    limiter = MemoryLimiter(overrides={"sign-in": (2, 3)})
    assert (await limiter.hit(SIGN_IN, "10.0.0.1", now=100)).allowed
    assert (await limiter.hit(SIGN_IN, "10.0.0.1", now=100.5)).allowed
    refused = await limiter.hit(SIGN_IN, "10.0.0.1", now=101)
    assert not refused.allowed and refused.retry_after == pytest.approx(2)
    assert (await limiter.hit(SIGN_IN, "10.0.0.1", now=103.1)).allowed  # a 3 s window, not 15 minutes


async def test_the_limiter_reads_limit_overrides_from_the_environment(monkeypatch):
    from pika.settings import get_settings

    monkeypatch.setenv("LIMIT_OVERRIDES", "likes=1/60")
    get_settings.cache_clear()
    try:
        limiter = MemoryLimiter()
    finally:
        monkeypatch.delenv("LIMIT_OVERRIDES")
        get_settings.cache_clear()
    assert (await limiter.hit(LIKES, "d", now=1)).allowed
    assert not (await limiter.hit(LIKES, "d", now=2)).allowed
