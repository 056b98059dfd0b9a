"""A dancer's phone over Reflex's real socket protocol, able to tap (the bench client only listens).

Same wire format as bench/reflex_client.py (engine.io v4 / socket.io v5 on `/_event`): the
CONNECT packet carries the boot event, and each tap is a socket.io EVENT `["event", {name,
payload, router_data}]`, exactly what `.web/utils/state.js` sends. `ip` goes out as
X-Forwarded-For, which the server trusts only when started with REFLEX_TRUSTED_PROXY_HOPS=1:
that lets one test machine stand for many networks.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from typing import Any

import aiohttp

from bench.reflex_client import _NS_PREFIX, NAMESPACE, PHONE_HEADERS, BootInfo, socket_url


class Refused(Exception):
    """The server refused the socket.io CONNECT; the message is what the page shows."""


class Phone:
    def __init__(self, http: aiohttp.ClientSession, boot: BootInfo, base_url: str, session_id: str, *,
                 ip: str, dancer_id: str | None = None) -> None:
        self.http, self.boot, self.base_url, self.session_id, self.ip = http, boot, base_url, session_id, ip
        self.dancer_id = dancer_id
        self.token = str(uuid.uuid4())  # a fresh tab
        self.path = f"/live/{session_id}"
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        # The dancer state as the page holds it (deltas only carry what changed).
        self.fields: dict[str, Any] = {"dancer_id": dancer_id} if dancer_id else {}
        self.toasts: list[str] = []
        self.joins = 0  # deltas of `join` seen (it alone writes `found`)

    def _router_data(self) -> dict:
        return {"pathname": "/live/[session_id]", "asPath": self.path, "query": {"session_id": self.session_id}}

    async def connect(self, timeout: float = 15) -> Phone:
        """Open the socket and join the session; raises Refused with the server's message."""
        self.ws = await self.http.ws_connect(
            socket_url(self.base_url, self.token), protocols=(self.boot.reflex_version,),
            headers={**PHONE_HEADERS, "Origin": self.base_url, "X-Forwarded-For": self.ip})
        event: dict[str, Any] = {"name": f"{self.boot.state_name}.hydrate_and_load",
                                 "payload": {"hashes": self.boot.hashes}, "router_data": self._router_data()}
        if self.dancer_id:  # the phone's localStorage, as the browser sends it with the boot event
            event["payload"]["vars"] = {f"{self.boot.dancer_state}.dancer_id_rx_state_": self.dancer_id}
        auth = json.dumps({"event": event, "state_schema": self.boot.state_schema})
        async with asyncio.timeout(timeout):
            while True:
                kind, data = await self._next()
                if kind == "open":
                    await self.ws.send_str(f"40{NAMESPACE},{auth}")
                elif kind == "refused":
                    await self.close()
                    raise Refused(data.get("message", ""))
                elif kind == "update" and self.fields.get("version", -1) >= 0 and self.fields.get("dancer_id"):
                    self.dancer_id = self.fields["dancer_id"]
                    return self

    async def tap(self, handler: str, timeout: float = 15, **payload) -> str | None:
        """Run one of the dancer page's event handlers; the refusal toast's text, or None if it went through.

        Reflex runs one tab's events in order under its state lock, so the page's own `join` (its
        on_load) sent right after the tap answers only once the tap's handler has finished; its
        delta always carries `found`, and it re-reads this dancer's likes and votes. A second `join`
        sent after that answer also waits for the events the tap queued (its notice).
        """
        self.toasts.clear()
        await self._send(handler, payload)
        for _ in range(2):
            joins = self.joins
            await self._send("join", {})
            async with asyncio.timeout(timeout):
                while self.joins == joins:
                    await self._next()
        refused = [t for t in self.toasts if "action-refused" in t]
        return refused[0] if refused else None

    async def _send(self, handler: str, payload: dict) -> None:
        assert self.ws is not None
        event = {"name": f"{self.boot.dancer_state}.{handler}", "payload": payload, "router_data": self._router_data()}
        await self.ws.send_str(f"42{NAMESPACE},{json.dumps(['event', event])}")

    async def _next(self) -> tuple[str, Any]:
        assert self.ws is not None
        while True:
            msg = await self.ws.receive()
            if msg.type is not aiohttp.WSMsgType.TEXT:
                raise ConnectionError(f"socket closed: {msg.type.name}")
            raw: str = msg.data
            if raw[:1] == "0":
                return "open", None
            if raw[:1] == "2":
                await self.ws.send_str("3" + raw[1:])
                continue
            if raw[:2] == "44":
                return "refused", json.loads(raw[2 + _NS_PREFIX:])
            if raw[:2] == "42":
                name, update = json.loads(raw[2 + _NS_PREFIX:])
                if name != "event":
                    continue
                own = (update.get("delta") or {}).get(self.boot.dancer_state) or {}
                self.fields.update({k.removesuffix("_rx_state_"): v for k, v in own.items()})
                self.joins += "found_rx_state_" in own
                # What a toast would say: a notice event (components/notice.py) or its state's delta.
                if "notice" in raw or update.get("events"):
                    self.toasts.append(raw)
                return "update", update

    async def close(self) -> None:
        if self.ws is not None and not self.ws.closed:
            with contextlib.suppress(Exception):
                await self.ws.send_str(f"41{NAMESPACE},")
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.ws.close(), 5)
