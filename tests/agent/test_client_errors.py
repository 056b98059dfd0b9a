"""What the DJ reads when the server refuses or is away: the API's own reason when it gave one."""

from __future__ import annotations

import httpx
import pytest

from agent.core.client import ApiError, Offline, PikaClient


def answering(status: int, **kwargs) -> PikaClient:
    return PikaClient("http://pika.test", "token", transport=httpx.MockTransport(lambda _r: httpx.Response(status, **kwargs)))


async def test_pikas_503_while_redis_restarts_is_offline_with_its_reason():
    client = answering(503, json={"error": "unavailable",
                                  "detail": "The live room is briefly unavailable; try again in a moment."},
                       headers={"Retry-After": "2"})
    with pytest.raises(Offline) as caught:
        await client.me()
    assert str(caught.value) == "the server answered 503: The live room is briefly unavailable; try again in a moment"


async def test_a_proxys_error_page_is_offline_without_its_html():
    client = answering(502, text="<html><body><h1>502 Bad Gateway</h1></body></html>")
    with pytest.raises(Offline) as caught:
        await client.me()
    assert str(caught.value) == "the server answered 502"


async def test_a_refusal_carries_the_apis_error_and_detail():
    client = answering(422, json={"error": "invalid", "detail": "title: Field required"})
    with pytest.raises(ApiError) as caught:
        await client.me()
    assert (caught.value.status, caught.value.error, caught.value.detail) == (422, "invalid", "title: Field required")
