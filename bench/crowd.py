"""One load-generating process: a crowd of dancers on one event loop, driven over a pipe.

The orchestrator (bench.fanout) sends small command dicts and gets a reply dict to each,
always with this process's own CPU seconds so the load client's cost is on the record.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from multiprocessing.connection import Connection

import aiohttp

from bench.reflex_client import BootInfo, Dancer, Mailbox, now_playing_id


def cpu_seconds() -> float:
    return time.process_time()  # user + system of this process, all threads, fine-grained


class Crowd:
    def __init__(
        self, base_url: str, boot: BootInfo, session_id: str, first_index: int, count: int, deflate: bool
    ) -> None:
        self.base_url = base_url
        self.boot = boot
        self.session_id = session_id
        self.mailbox = Mailbox()
        self.dancers = [Dancer(first_index + i, self.mailbox) for i in range(count)]
        self.deflate = deflate
        self.tasks: list[asyncio.Task] = []
        self.acting: list[tuple[Dancer, str]] = []
        self.http: aiohttp.ClientSession | None = None

    async def serve(self, conn: Connection) -> None:
        loop = asyncio.get_running_loop()
        # Plenty of sockets, no connection pooling limits: each dancer holds its own websocket.
        self.http = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=0, enable_cleanup_closed=True),
            timeout=aiohttp.ClientTimeout(total=None, sock_connect=30),
        )
        try:
            while True:
                try:
                    command = await loop.run_in_executor(None, conn.recv)
                except (EOFError, OSError):
                    return  # the orchestrator is gone
                op = command.pop("op")
                try:
                    reply = await getattr(self, f"op_{op}")(**command)
                except Exception as exc:
                    reply = {"error": f"{type(exc).__name__}: {exc}"}
                reply["cpu"] = cpu_seconds()
                conn.send(reply)
                if op == "close":
                    return
        finally:
            await self._shutdown()

    # -- commands ------------------------------------------------------------------------------
    async def op_ping(self) -> dict:
        return {}

    async def op_join(
        self, t0: float, interval: float, offset: float, concurrency: int, timeout: float, connect_timeout: float
    ) -> dict:
        """Connect every dancer: the i-th starts at t0 + offset + i*interval (0 = all at once),
        with at most `concurrency` handshakes in flight. Returns when all joined or failed, or at the deadline."""
        assert self.http is not None
        gate = asyncio.Semaphore(max(1, concurrency))
        done = asyncio.Event()
        reported = 0

        def on_reported(_dancer: Dancer) -> None:
            nonlocal reported
            reported += 1
            gate.release()
            if reported == len(self.dancers):
                done.set()

        async def launch() -> None:
            for i, dancer in enumerate(self.dancers):
                start = t0 + offset + i * interval
                if (delay := start - time.monotonic()) > 0:
                    await asyncio.sleep(delay)
                await gate.acquire()
                self.tasks.append(
                    asyncio.create_task(
                        dancer.run(
                            self.http,
                            self.base_url,
                            self.boot,
                            self.session_id,
                            deflate=self.deflate,
                            joined_cb=on_reported,
                            connect_timeout=connect_timeout,
                        )
                    )
                )

        if (delay := t0 - time.monotonic()) > 0:
            await asyncio.sleep(delay)
        launcher = asyncio.create_task(launch())
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(done.wait(), timeout=max(0.0, t0 + timeout - time.monotonic()))
        launcher.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await launcher
        rows = []
        for d in self.dancers:
            error = d.error or ("" if d.joined else ("join timed out" if d.t_start else "not started"))
            rows.append((d.t_start, d.t_open, d.t_joined if d.joined else None, d.version, error))
        return {"dancers": rows}

    async def op_watch(self, play_id: str) -> dict:
        self.mailbox.watch(play_id)
        return {}

    async def op_collect(self, play_id: str, deadline: float) -> dict:
        """Wait until every joined dancer got the play (or the deadline), then check each message."""
        expected = sum(1 for d in self.dancers if d.joined)
        arrivals = self.mailbox.arrivals[play_id]
        while len(arrivals) < expected and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        arrivals = self.mailbox.forget(play_id)
        times, wrong = [], 0
        for _index, t, raw in arrivals:
            # Only a delta with this play as now playing counts as a delivery.
            if now_playing_id(raw, self.boot.dancer_state) == play_id:
                times.append(t)
            else:
                wrong += 1
        sizes = [len(raw) for _i, _t, raw in arrivals[:1]]
        return {"expected": expected, "times": times, "wrong": wrong, "bytes": sizes[0] if sizes else 0}

    async def op_act(self, t0: float, actions: list[list]) -> dict:
        """Schedule taps: each action is [dancer index, handler, payload, saving key, delay after t0]."""
        by_index = {d.index: d for d in self.dancers}
        self.acting = []

        async def tap(dancer: Dancer, handler: str, payload: dict, key: str, at: float) -> None:
            if (delay := at - time.monotonic()) > 0:
                await asyncio.sleep(delay)
            try:
                await dancer.act(self.boot, self.session_id, handler, payload, key)
            except Exception as exc:  # a closed socket: recorded as never sent
                dancer.forget_tap()
                dancer.act_problem = f"unsent: {type(exc).__name__}: {exc}"[:160]

        for index, handler, payload, key, delay in actions:
            dancer = by_index.get(index)
            if dancer is None or not dancer.joined:
                continue
            # Forget the dancer's previous tap now, not when this one is sent: a row read before
            # (or without) the send must not report the old tap's receipt.
            dancer.forget_tap()
            self.acting.append((dancer, handler))
            self.tasks.append(asyncio.create_task(tap(dancer, handler, payload, key, t0 + delay)))
        return {"scheduled": len(self.acting)}

    async def op_acks(self, deadline: float) -> dict:
        """Wait for every scheduled tap's receipt (or the deadline): [handler, sent, acked or None, refused]."""
        while time.monotonic() < deadline and any(not d.act_t_ack for d, _h in self.acting):
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.5)  # a refusal's toast comes right after the receipt
        rows = [
            [handler, d.act_t_sent or None, d.act_t_ack or None, d.act_refused, d.act_problem]
            for d, handler in self.acting
        ]
        self.acting = []
        return {"acks": rows}

    async def op_status(self) -> dict:
        joined = [d for d in self.dancers if d.joined]
        open_sockets = sum(1 for d in joined if d.ws is not None and not d.ws.closed)
        reasons: dict[str, int] = {}
        for d in joined:
            if d.closed_reason:
                reasons[d.closed_reason] = reasons.get(d.closed_reason, 0) + 1
        return {
            "joined": len(joined),
            "open": open_sockets,
            "pings": sum(d.pings for d in self.dancers),
            "messages": sum(d.messages for d in self.dancers),
            "bytes_in": sum(d.bytes_in for d in self.dancers),
            "closed_reasons": reasons,
        }

    async def op_close(self) -> dict:
        await self._shutdown()
        return {}

    async def _shutdown(self) -> None:
        if self.dancers:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(asyncio.gather(*(d.close() for d in self.dancers), return_exceptions=True), 10)
        for task in self.tasks:
            task.cancel()
        if self.tasks:
            await asyncio.gather(*self.tasks, return_exceptions=True)
        self.tasks = []
        self.dancers = []
        if self.http is not None:
            await self.http.close()
            self.http = None


def crowd_main(
    conn: Connection, base_url: str, boot: dict, session_id: str, first_index: int, count: int, deflate: bool
) -> None:
    """Entry point of a crowd process (multiprocessing, spawn)."""
    crowd = Crowd(base_url, BootInfo(**boot), session_id, first_index, count, deflate)
    try:
        asyncio.run(crowd.serve(conn))
    except KeyboardInterrupt:
        pass
    finally:
        conn.close()
