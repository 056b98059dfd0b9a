"""The Pika server as the agent sees it: the agent API v1, with errors the DJ can read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

USER_AGENT = "pika-agent"


class ApiError(Exception):
    """The server answered with an error; `detail` is meant for the DJ's eyes."""

    def __init__(self, status: int, error: str, detail: str) -> None:
        super().__init__(f"{status} {error}: {detail}")
        self.status = status
        self.error = error
        self.detail = detail

    @property
    def is_auth(self) -> bool:
        return self.status == 401


class Offline(Exception):
    """The server could not be reached (or answered 5xx): try again later."""


@dataclass
class SessionInfo:
    id: str
    title: str
    status: str
    join_url: str
    qr_url: str


class PikaClient:
    def __init__(self, server: str, token: str, *, timeout: float = 10.0, transport: httpx.AsyncBaseTransport | None = None):
        self._http = httpx.AsyncClient(
            base_url=server.rstrip("/") + "/api/v1",
            headers={"Authorization": f"Bearer {token}", "User-Agent": USER_AGENT},
            timeout=timeout,
            transport=transport,
        )

    async def close(self) -> None:
        await self._http.aclose()

    async def _call(self, method: str, path: str, json: Any = None) -> Any:
        try:
            response = await self._http.request(method, path, json=json)
        except httpx.HTTPError as exc:
            raise Offline(f"cannot reach the server: {exc.__class__.__name__}") from exc
        if response.status_code >= 500:
            raise Offline(f"the server answered {response.status_code}")
        if response.status_code >= 400:
            try:
                body = response.json()
                error, detail = str(body.get("error", "error")), str(body.get("detail", response.text))
            except ValueError:
                error, detail = "error", response.text[:200] or response.reason_phrase
            raise ApiError(response.status_code, error, detail)
        return response.json()

    async def me(self) -> dict:
        return await self._call("GET", "/me")

    async def open_session(self, title: str = "") -> SessionInfo:
        return _session(await self._call("POST", "/sessions", {"title": title}))

    async def get_session(self, session_id: str) -> SessionInfo:
        return _session(await self._call("GET", f"/sessions/{session_id}"))

    async def send_plays(self, session_id: str, plays: list[dict]) -> dict:
        return await self._call("POST", f"/sessions/{session_id}/plays/batch", {"plays": plays})

    async def heartbeat(self, session_id: str) -> dict:
        return await self._call("POST", f"/sessions/{session_id}/heartbeat")

    async def end_session(self, session_id: str) -> SessionInfo:
        return _session(await self._call("POST", f"/sessions/{session_id}/end"))


def _session(body: dict) -> SessionInfo:
    return SessionInfo(body["id"], body["title"], body["status"], body["join_url"], body["qr_url"])
