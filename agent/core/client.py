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
    started_at: str = ""


def _error_of(response: httpx.Response) -> tuple[str, str]:
    """(error, detail) of an API error body `{error, detail}`; ("error", some text) for anything else."""
    try:
        body = response.json()
        return str(body.get("error", "error")), str(body.get("detail", response.text))
    except (ValueError, AttributeError):
        return "error", response.text[:200] or response.reason_phrase


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

    async def _call(self, method: str, path: str, json: Any = None, params: dict | None = None) -> Any:
        try:
            response = await self._http.request(method, path, json=json, params=params)
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise Offline(f"cannot reach the server: {exc.__class__.__name__}") from exc
        if response.status_code >= 500:
            # Pika's own 503 says why (Redis restarting); a proxy's error page says nothing useful.
            error, detail = _error_of(response)
            said = f": {detail.rstrip('.')}" if error != "error" else ""  # the screens add their own full stop
            raise Offline(f"the server answered {response.status_code}{said}")
        if response.status_code >= 400:
            raise ApiError(response.status_code, *_error_of(response))
        try:
            return response.json()
        except ValueError as exc:  # a captive portal or proxy page instead of the API
            raise Offline(f"the server answered something that is not the Pika API ({response.status_code})") from exc

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

    async def open_poll(self, session_id: str, *, preset: str | None = None, question: str | None = None,
                        options: list[str] | None = None, duration_s: float | None = None) -> dict:
        """A preset (vibe | tempo | roles | style) or a question with 2-10 options; opening one closes the last."""
        body: dict[str, Any] = {"preset": preset} if preset else {"question": question, "options": options}
        if duration_s is not None:
            body["duration_s"] = duration_s
        return await self._call("POST", f"/sessions/{session_id}/polls", body)

    async def close_poll(self, session_id: str, poll_id: int) -> dict:
        return await self._call("POST", f"/sessions/{session_id}/polls/{poll_id}/close")

    async def announce(self, session_id: str, message: str, duration_s: float | None = None) -> dict:
        body: dict[str, Any] = {"message": message}
        if duration_s is not None:
            body["duration_s"] = duration_s
        return await self._call("POST", f"/sessions/{session_id}/announcements", body)

    async def cancel_announcement(self, session_id: str, announcement_id: int) -> dict:
        return await self._call("POST", f"/sessions/{session_id}/announcements/{announcement_id}/cancel")

    async def crowd(self, session_id: str, since: str | None = None) -> dict:
        """The floor now; pass the previous answer's cursor so thanks_since counts only new thank-yous."""
        return await self._call("GET", f"/sessions/{session_id}/crowd", params={"since": since} if since else None)


def _session(body: dict) -> SessionInfo:
    try:
        return SessionInfo(body["id"], body["title"], body["status"], body["join_url"], body["qr_url"],
                           str(body.get("started_at") or ""))
    except (KeyError, TypeError) as exc:  # not the Pika API we know: say so instead of crashing
        raise Offline(f"unexpected answer from the server (missing {exc})") from exc
