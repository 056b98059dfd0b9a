"""A lean dancer: Reflex's real socket protocol over one raw websocket (engine.io v4 / socket.io v5).

What a browser on `/live/<id>` does, as `.web/utils/state.js` (connect / bootAuth) and
`reflex/app.py` (EventNamespace.on_connect) define it:

1. Open `ws://host/_event/?token=<client token>&EIO=4&transport=websocket` with the Reflex
   version as websocket subprotocol. The client token is a fresh uuid4 per tab.
2. The server's engine.io OPEN packet (`0{...}`) arrives; the client sends the socket.io
   CONNECT packet for namespace "/" (`40{auth}`) whose auth carries the boot event
   `<root state>.hydrate_and_load` (with the compiled `initialStateHashes` on a first load and
   the page's router data) and the compiled `stateSchema`. The backend hydrates and then runs
   the page's on_load (`DancerRoomState.join`) server-side; no further client event is needed.
3. State updates arrive as `42/_event,["event", {"delta": {...}}]`; engine.io pings (`2`) are answered
   with pongs (`3`).

Nothing here imports Reflex: the frontend's compiled constants are read from the build folder.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

ROOT_STATE_HYDRATE = "hydrate_and_load"
# `io("http://host/_event", {path: "/_event"})`: the URL's path is both the engine.io path and the
# socket.io namespace, so every socket.io packet carries "/_event," after its type digit.
NAMESPACE = "/_event"
_NS_PREFIX = len(NAMESPACE) + 1


@dataclass(frozen=True)
class BootInfo:
    """The constants a compiled Reflex frontend puts in its CONNECT packet."""

    state_name: str  # the root state, e.g. "reflex___state____state"
    dancer_state: str  # full name of the dancer page's room state
    state_schema: str
    hashes: list[str]
    reflex_version: str

    @classmethod
    def from_web_dir(cls, web_dir: Path, state_suffix: str = "dancer_room_state") -> BootInfo:
        context = (web_dir / "utils" / "context.jsx").read_text()

        def constant(name: str) -> Any:
            match = re.search(rf"^export const {name} = (.*)$", context, re.MULTILINE)
            if match is None:
                raise ValueError(f"{name} not found in {web_dir}/utils/context.jsx")
            return json.loads(match.group(1))

        initial_state: dict = constant("initialState")
        dancer = [name for name in initial_state if name.endswith(state_suffix)]
        if len(dancer) != 1:
            raise ValueError(f"expected one state ending in {state_suffix!r}, found {dancer}")
        version = json.loads((web_dir / "reflex.json").read_text())["version"]
        return cls(
            state_name=constant("state_name"),
            dancer_state=dancer[0],
            state_schema=constant("stateSchema"),
            hashes=constant("initialStateHashes"),
            reflex_version=version,
        )

    def connect_packet(self, path: str, params: dict[str, str]) -> str:
        """The socket.io CONNECT packet a first page load sends (engine.io MESSAGE + socket.io CONNECT)."""
        event = {
            "name": f"{self.state_name}.{ROOT_STATE_HYDRATE}",
            "payload": {"hashes": self.hashes},
            "router_data": {"pathname": path, "asPath": path, "query": dict(params)},
        }
        auth = json.dumps({"event": event, "state_schema": self.state_schema}, separators=(",", ":"))
        return f"40{NAMESPACE},{auth}"


# What a phone's browser sends with the websocket upgrade (Reflex keeps the headers in each client's state).
PHONE_HEADERS = {
    "User-Agent": (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
    ),
    "Accept-Language": "en-US,en;q=0.9",
    "Cache-Control": "no-cache",
    "Pragma": "no-cache",
}


def socket_url(base_url: str, token: str) -> str:
    ws = base_url.replace("http://", "ws://", 1).replace("https://", "wss://", 1).rstrip("/")
    return f"{ws}/_event/?token={token}&EIO=4&transport=websocket"


@dataclass
class Mailbox:
    """Shared by all dancers of one process: which play ids to watch for, and what arrived."""

    watching: list[str] = field(default_factory=list)
    # play id -> list of (dancer index, monotonic arrival time, raw message)
    arrivals: dict[str, list[tuple[int, float, str]]] = field(default_factory=dict)

    def watch(self, play_id: str) -> None:
        self.watching.append(play_id)
        self.arrivals[play_id] = []

    def forget(self, play_id: str) -> list[tuple[int, float, str]]:
        self.watching.remove(play_id)
        return self.arrivals.pop(play_id)


class Dancer:
    """One phone on the dancer page. `run()` connects, joins, then listens until closed."""

    __slots__ = (
        "_on_joined",
        "act_key",
        "act_problem",
        "act_refused",
        "act_t_ack",
        "act_t_sent",
        "bytes_in",
        "closed_reason",
        "error",
        "index",
        "joined",
        "mailbox",
        "messages",
        "pings",
        "reported",
        "seen",
        "t_joined",
        "t_open",
        "t_start",
        "token",
        "version",
        "ws",
    )

    def __init__(self, index: int, mailbox: Mailbox) -> None:
        self.index = index
        self.mailbox = mailbox
        self.token = str(uuid.uuid4())  # a fresh tab: its own client token, like sessionStorage
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.t_start = self.t_open = self.t_joined = 0.0
        self.version = -1
        self.joined = False
        self.error = ""
        self.closed_reason = ""
        self.pings = self.messages = self.bytes_in = 0
        self.seen: set[str] = set()  # play ids already recorded (a later push repeats them in history)
        self.reported = False
        self._on_joined = None
        self.forget_tap()

    def _report(self) -> None:
        """Tell the crowd once that this dancer joined or failed to."""
        if not self.reported:
            self.reported = True
            self._on_joined(self)

    async def run(
        self,
        http: aiohttp.ClientSession,
        base_url: str,
        boot: BootInfo,
        session_id: str,
        *,
        deflate: bool,
        joined_cb,
        connect_timeout: float,
    ) -> None:
        self.t_start = time.monotonic()
        self._on_joined = joined_cb
        try:
            self.ws = await asyncio.wait_for(
                http.ws_connect(
                    socket_url(base_url, self.token),
                    protocols=(boot.reflex_version,),
                    autoping=True,
                    heartbeat=None,
                    compress=15 if deflate else 0,
                    max_msg_size=0,
                    headers={**PHONE_HEADERS, "Origin": base_url},
                    timeout=aiohttp.ClientWSTimeout(ws_close=5.0),
                ),
                connect_timeout,
            )
        except Exception as exc:
            self.error = f"connect: {type(exc).__name__}: {exc}"[:200]
            self._report()
            return
        connect = boot.connect_packet(f"/live/{session_id}", {"session_id": session_id})
        try:
            await self._listen(connect, boot.dancer_state)
        except Exception as exc:  # a dancer's failure is recorded, never raised into the crowd
            self.closed_reason = f"{type(exc).__name__}: {exc}"[:200]
            if not self.joined and not self.error:
                self.error = self.closed_reason
                self._report()
        finally:
            if not self.joined and not self.error:
                self.error = f"closed before joining ({self.closed_reason or 'server closed'})"
                self._report()

    async def _listen(self, connect_packet: str, dancer_state: str) -> None:
        ws = self.ws
        assert ws is not None
        mailbox = self.mailbox
        text = aiohttp.WSMsgType.TEXT
        async for msg in ws:
            if msg.type is not text:
                if msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                    self.closed_reason = f"websocket {msg.type.name}"
                    break
                continue
            now = time.monotonic()
            data: str = msg.data
            self.messages += 1
            self.bytes_in += len(data)
            kind = data[:1]
            if kind == "4":  # engine.io MESSAGE carrying a socket.io packet: 4<type>/_event,<json>
                if data[1:2] == "2":  # socket.io EVENT
                    if self.act_key and '"saving_rx_state_"' in data:
                        self._maybe_acked(data, now, dancer_state)
                    if self.act_t_ack and "action-refused" in data:
                        # The refusal's toast follows the update that clears `saving`, as its own message.
                        self.act_refused = True
                        self.act_problem = _toast_text(data)
                    if self.joined:
                        # Hot path: a substring test per watched play; parsing waits until the play is collected.
                        for play_id in mailbox.watching:
                            if play_id not in self.seen and play_id in data:
                                self.seen.add(play_id)
                                mailbox.arrivals[play_id].append((self.index, now, data))
                    else:
                        self._maybe_joined(data, now, dancer_state)
                elif data[1:2] == "0":  # CONNECT ack
                    self.t_open = now
                elif data[1:2] == "4":  # CONNECT_ERROR
                    self.error = f"connect refused: {data[2 + _NS_PREFIX : 200]}"
                    self._report()
                    break
                elif data[1:2] == "1":
                    self.closed_reason = "socket.io DISCONNECT from server"
                    break
            elif kind == "2":  # engine.io PING -> PONG
                self.pings += 1
                await ws.send_str("3" + data[1:])
            elif kind == "0":  # engine.io OPEN: now send the CONNECT packet with the boot event
                await ws.send_str(connect_packet)
            elif kind == "1":
                self.closed_reason = "engine.io CLOSE from server"
                break

    def _maybe_joined(self, data: str, now: float, dancer_state: str) -> None:
        if self.error:
            return  # a failed join stays failed, whatever arrives later
        try:
            name, update = json.loads(data[2 + _NS_PREFIX :])
        except ValueError:
            return
        if name != "event" or not isinstance(update, dict):
            if name == "state_mismatch":
                self.error = f"state schema mismatch: {update}"[:200]
                self._report()
            return
        if update.get("events") and not self.error:
            # Frontend events before the join: Reflex sends an error toast when a handler raised.
            text = json.dumps(update["events"])
            if "rror" in text:
                self.error = f"server error during join: {text[:160]}"
                self._report()
                return
        fields = (update.get("delta") or {}).get(dancer_state) or {}
        if fields.get("found_rx_state_") is False:
            self.error = "join: session not found"
            self._report()
            return
        version = fields.get("version_rx_state_")
        # The join's own delta, not a room push that happened to reach the socket first: only
        # `join` writes the dancer's private fields (found, dancer_id) next to the room fields.
        own = "found_rx_state_" in fields or "dancer_id_rx_state_" in fields
        if own and isinstance(version, int) and version >= 0:
            self.version = version
            self.joined = True
            self.t_joined = now
            self._report()

    async def act(self, boot: BootInfo, session_id: str, handler: str, payload: dict, key: str) -> None:
        """Tap something on the page: send the handler's event as the browser does (`socket.emit("event", …)`).
        The receipt is the server's update that drops `key` from the dancer's `saving` list."""
        path = f"/live/{session_id}"
        event = {
            "name": f"{boot.dancer_state}.{handler}",
            "payload": payload,
            "router_data": {"pathname": path, "asPath": path, "query": {"session_id": session_id}},
        }
        self.forget_tap()
        self.act_key, self.act_t_sent = key, time.monotonic()
        assert self.ws is not None
        await self.ws.send_str(f"42{NAMESPACE}," + json.dumps(["event", event], separators=(",", ":")))

    def forget_tap(self) -> None:
        """No tap in flight: nothing sent, no receipt, no refusal (a new tap starts from here).
        `act_key` is the `saving` key of the tap in flight ("" = none)."""
        self.act_key, self.act_t_sent, self.act_t_ack = "", 0.0, 0.0
        self.act_refused, self.act_problem = False, ""

    def _maybe_acked(self, data: str, now: float, dancer_state: str) -> None:
        try:
            _name, update = json.loads(data[2 + _NS_PREFIX :])
            saving = update["delta"][dancer_state]["saving_rx_state_"]
        except (ValueError, KeyError, TypeError):
            return
        if self.act_key not in saving:
            self.act_t_ack = now
            self.act_refused = "action-refused" in data
            self.act_key = ""

    async def close(self) -> None:
        if self.ws is not None and not self.ws.closed:
            with contextlib.suppress(Exception):
                await self.ws.send_str(f"41{NAMESPACE},")  # socket.io DISCONNECT, as socket.disconnect() does
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.ws.close(), 5)


def _toast_text(raw: str) -> str:
    match = re.search(r'"(Easy there[^"]*|[A-Z][^"]{10,160})"', raw)
    return match.group(1)[:160] if match else raw[:160]


def now_playing_id(raw: str, dancer_state: str) -> str | None:
    """The play id in a pushed delta's now_playing (None when the message carries none)."""
    try:
        name, update = json.loads(raw[2 + _NS_PREFIX :])
    except ValueError:
        return None
    fields = (update.get("delta") or {}).get(dancer_state) or {} if name == "event" else {}
    now_playing = fields.get("now_playing_rx_state_")
    return now_playing.get("play_id") if isinstance(now_playing, dict) else None
