"""Fan-out benchmark: N dancers on one session, the agent API posting plays, timed to each phone.

    python -m bench.fanout --dancers 100,300,1000,2000 --plays 10 --manager redis --workers 1

For each configuration and N it starts fresh servers (PostgreSQL + Redis, or SQLite with the
built-in state manager), the real app in production mode, creates a DJ, a token and a session,
connects N dancers speaking Reflex's socket protocol (bench.reflex_client) from a few load
processes (bench.crowd), then posts plays one at a time and records when each dancer got the
delta with that play as now playing. Everything it starts is stopped by pid, also on Ctrl-C.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import multiprocessing
import os
import resource
import shutil
import signal
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from bench import actions, stats
from bench.cpu_budget import WorkerBudget
from bench.crowd import crowd_main
from bench.probe import MB, Nothing, ProcessTree, Profiler, Single, machine_busy, own_cpu
from bench.reflex_client import BootInfo
from tests.support.server import ROOT, RunningApp, start_app
from tests.support.services import (
    Postgres,
    create_database,
    postmaster_pid,
    start_postgres,
    start_redis,
    stop_postgres,
    stop_redis,
)


@dataclass
class Options:
    dancers: list[int]
    plays: int
    managers: list[str]
    workers: int
    interval: float
    deliver_timeout: float
    join_concurrency: int
    join_rate: float
    join_timeout: float
    client_procs: int
    deflate: bool
    settle: float
    web_dir: str
    json_path: Path | None
    log_dir: Path
    app_env: dict[str, str]
    heartbeat: float
    profile: bool
    profile_rate: int
    quiet_below: float
    quiet_wait: float
    act: float
    act_spread: float
    storm: bool
    history: int
    worker_cpus: float


def parse_args(argv: list[str] | None = None) -> Options:
    p = argparse.ArgumentParser(prog="python -m bench.fanout", description=__doc__.split("\n\n")[0])
    p.add_argument("--dancers", default="100,300,1000,2000", help="comma-separated crowd sizes")
    p.add_argument("--plays", type=int, default=10, help="plays posted per crowd size")
    p.add_argument("--manager", default="redis", help="redis | builtin (comma-separated to run both)")
    p.add_argument("--workers", type=int, default=1, help="backend workers (GRANIAN_WORKERS); >1 needs redis")
    p.add_argument("--interval", type=float, default=3.0, help="seconds from one play's POST to the next")
    p.add_argument("--deliver-timeout", type=float, default=10.0, help="a delivery later than this is lost")
    p.add_argument(
        "--join-rate",
        type=float,
        default=100.0,
        help="dancers arriving per second (100 = 2,000 in 20 s, doors open; 0 = as fast as possible)",
    )
    p.add_argument("--join-concurrency", type=int, default=500, help="at most this many joins in flight at once")
    p.add_argument("--join-timeout", type=float, default=120.0, help="give up on joins after this many seconds")
    p.add_argument("--client-procs", type=int, default=2, help="load-generating processes")
    p.add_argument(
        "--no-deflate", dest="deflate", action="store_false", help="do not offer permessage-deflate (browsers offer it)"
    )
    p.add_argument("--settle", type=float, default=3.0, help="quiet seconds before each idle/connected sample")
    p.add_argument("--web-dir", default=".web-bench", help="the app's build folder (keep apart from the tests' .web)")
    p.add_argument("--json", dest="json_path", type=Path, help="write all figures here")
    p.add_argument("--log-dir", type=Path, help="server logs (default: a new temporary folder)")
    p.add_argument(
        "--app-env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="extra environment for the app (repeatable), e.g. REFLEX_REDIS_MAX_CONNECTIONS=100",
    )
    p.add_argument(
        "--profile",
        action="store_true",
        help="record the app with py-spy during joins and plays (into --log-dir; skews the figures)",
    )
    p.add_argument("--profile-rate", type=int, default=100, help="py-spy samples per second with --profile")
    p.add_argument(
        "--quiet-below",
        type=float,
        default=0.0,
        metavar="CORES",
        help="before each run, wait until the machine's other load is below this (shared machines)",
    )
    p.add_argument("--quiet-wait", type=float, default=600.0, help="wait at most this many seconds for quiet")
    p.add_argument(
        "--heartbeat",
        type=float,
        default=30.0,
        help="seconds between agent heartbeats (the agent sends one every 30 s)",
    )
    p.add_argument("--act", type=float, default=0.1, metavar="FRACTION",
                   help="share of dancers tapping (like / tempo / poll vote) during each play; 0 = none")
    p.add_argument("--act-spread", type=float, default=1.0, help="seconds after each POST over which the taps land")
    p.add_argument("--no-storm", dest="storm", action="store_false",
                   help="skip the storm (every dancer likes the last play within 1 s)")
    p.add_argument(
        "--history",
        type=int,
        default=0,
        help="plays posted before the doors open, so the plays measured come mid-set (25+ = a full history)",
    )
    p.add_argument(
        "--worker-cpus",
        type=float,
        default=0.0,
        metavar="CORES",
        help="limit each app worker to this much CPU (cgroups, needs root): worker scaling on a small machine",
    )
    a = p.parse_args(argv)
    managers = [m.strip() for m in a.manager.split(",") if m.strip()]
    if any(m not in ("redis", "builtin") for m in managers):
        p.error("--manager is redis or builtin")
    if a.workers > 1 and "builtin" in managers:
        p.error("several workers need --manager redis (the built-in manager keeps state in one process)")
    return Options(
        dancers=[int(n) for n in a.dancers.split(",") if n.strip()],
        plays=a.plays,
        managers=managers,
        workers=a.workers,
        interval=a.interval,
        deliver_timeout=a.deliver_timeout,
        join_concurrency=a.join_concurrency,
        join_rate=a.join_rate,
        join_timeout=a.join_timeout,
        client_procs=max(1, a.client_procs),
        deflate=a.deflate,
        settle=a.settle,
        web_dir=a.web_dir,
        json_path=a.json_path,
        log_dir=a.log_dir or Path(tempfile.mkdtemp(prefix="pika-bench-")),
        app_env=dict(item.split("=", 1) for item in a.app_env),
        heartbeat=a.heartbeat,
        profile=a.profile,
        profile_rate=a.profile_rate,
        quiet_below=a.quiet_below,
        quiet_wait=a.quiet_wait,
        act=a.act,
        act_spread=a.act_spread,
        storm=a.storm,
        history=a.history,
        worker_cpus=a.worker_cpus,
    )


# -- the load processes ----------------------------------------------------------------------------
class CrowdHandle:
    def __init__(
        self, ctx, base_url: str, boot: BootInfo, session_id: str, first: int, count: int, deflate: bool
    ) -> None:
        self.count = count
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(
            target=crowd_main,
            args=(child, base_url, vars(boot), session_id, first, count, deflate),
            daemon=True,
            name=f"crowd-{first}",
        )
        self.proc.start()
        child.close()
        self.last_cpu = 0.0

    def send(self, op: str, **kwargs) -> None:
        self.conn.send({"op": op, **kwargs})

    def recv(self, timeout: float) -> dict:
        if not self.conn.poll(timeout):
            raise TimeoutError(f"crowd process {self.proc.pid} did not answer within {timeout:.0f}s")
        reply = self.conn.recv()
        if "error" in reply:
            raise RuntimeError(f"crowd process {self.proc.pid}: {reply['error']}")
        self.last_cpu = reply["cpu"]
        return reply

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.send("close")
            self.recv(20)
        self.proc.join(5)
        if self.proc.is_alive():
            self.proc.terminate()
            self.proc.join(5)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join(5)
        self.conn.close()


def call_all(crowds: list[CrowdHandle], op: str, wait: float, per_crowd=None, **kwargs) -> list[dict]:
    """Send one command to every crowd process, then collect their replies (each within `wait` seconds)."""
    for i, crowd in enumerate(crowds):
        crowd.send(op, **kwargs, **(per_crowd(i) if per_crowd else {}))
    return [crowd.recv(wait) for crowd in crowds]


def crowd_cpu(crowds: list[CrowdHandle]) -> float:
    return sum(c.last_cpu for c in crowds)


# -- set-up ----------------------------------------------------------------------------------------
def create_dj_token(database_url: str) -> str:
    from pika.db import make_engine, migrate, session_scope
    from pika.services import accounts

    engine = make_engine(database_url)
    try:
        migrate(engine)
        with session_scope(engine) as db:
            dj = accounts.create_dj(db, email="bench@example.com", display_name_="Bench DJ", slug="bench-dj")
            _, raw = accounts.issue_token(db, dj, label="bench")
        return raw
    finally:
        engine.dispose()


def play_body(k: int, n: int) -> dict:
    return {
        "play_id": str(uuid.uuid4()),
        "artist": f"Bench Artist {k % 7}",
        "title": f"Bench Track {k} for {n}",
        "played_at": datetime.now(UTC).isoformat(),
        "bpm": 96,
        "key": "8A",
        "source": "bench",
    }


class Heartbeat(threading.Thread):
    """The agent's heartbeat, on its own thread, so a long doors-open does not mark the session reconnecting."""

    def __init__(self, base_url: str, token: str, session_id: str, every: float) -> None:
        super().__init__(daemon=True, name="heartbeat")
        self.url = f"{base_url}/api/v1/sessions/{session_id}/heartbeat"
        self.headers = {"Authorization": f"Bearer {token}"}
        self.every = every
        self.failures = 0
        self._stop_event = threading.Event()
        self.start()

    def run(self) -> None:
        with httpx.Client(timeout=10) as client:
            while not self._stop_event.is_set():
                try:
                    client.post(self.url, headers=self.headers).raise_for_status()
                except httpx.HTTPError:
                    self.failures += 1
                self._stop_event.wait(self.every)

    def stop(self) -> None:
        self._stop_event.set()
        self.join(15)


class Stack(contextlib.ExitStack):
    """Clean-up in reverse order; each step bounded and independent of the others' failures."""

    def later(self, fn, *args) -> None:
        def safe() -> None:
            try:
                fn(*args)
            except Exception as exc:  # keep cleaning up the rest
                print(f"  clean-up {getattr(fn, '__name__', fn)}: {exc}", file=sys.stderr)

        self.callback(safe)


def log(msg: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {msg}", flush=True)


def wait_for_quiet(below: float, wait: float, window: float = 3.0) -> float:
    """Wait (bounded) until the machine's busy CPU stays under `below` cores for 3 windows. Returns the last load."""
    deadline = time.monotonic() + wait
    quiet = 0
    load = 0.0
    while time.monotonic() < deadline:
        b0, w0, t0 = machine_busy(), own_cpu(), time.monotonic()
        time.sleep(window)
        load = ((machine_busy() - b0) - (own_cpu() - w0)) / (time.monotonic() - t0)
        quiet = quiet + 1 if load < below else 0
        if quiet >= 3:
            return load
    log(f"machine still busy ({load:.2f} cores of other load) after {wait:.0f}s: running anyway")
    return load


# -- one run ---------------------------------------------------------------------------------------
def run_one(opt: Options, manager: str, n: int, pg_holder: dict, run_no: int) -> dict:
    config = f"{'Redis' if manager == 'redis' else 'built-in'}, {opt.workers} worker{'s' if opt.workers > 1 else ''}"
    if opt.worker_cpus:
        each = " each" if opt.workers > 1 else ""
        config += f" at {opt.worker_cpus:g} core{'s' if opt.worker_cpus > 1 else ''}{each}"
    log(f"== {n} dancers, {config}")
    tag = f"{manager}-w{opt.workers}-n{n}-{run_no}"
    load_before = wait_for_quiet(opt.quiet_below, opt.quiet_wait) if opt.quiet_below > 0 else None
    with Stack() as stack:
        redis_tree: ProcessTree = Nothing()
        db_tree: ProcessTree = Nothing()  # PostgreSQL's server processes (SQLite runs inside the app)
        redis_url = None
        if manager == "redis":
            if "pg" not in pg_holder:
                pg_holder["pg"] = start_postgres()
            pg: Postgres = pg_holder["pg"]
            database_url = create_database(pg, f"bench_{tag.replace('-', '_')}_{uuid.uuid4().hex[:6]}")
            redis = start_redis()
            stack.later(stop_redis, redis)
            redis_url = redis.url
            redis_tree = Single(redis.pid)
            db_tree = ProcessTree(postmaster_pid(pg))
        else:
            folder = Path(tempfile.mkdtemp(prefix="pika-bench-sqlite-"))
            stack.later(shutil.rmtree, folder, True)
            database_url = f"sqlite:///{folder / 'pika.db'}"
        token = create_dj_token(database_url)

        # Reflex's disk manager (REFLEX_STATE_MANAGER_MODE=disk; the app's default keeps states in memory)
        # keeps each client's state in a file there: start every run without the last one's.
        shutil.rmtree(ROOT / f"{opt.web_dir}-states", ignore_errors=True)
        t = time.monotonic()
        app: RunningApp = start_app(
            database_url=database_url,
            redis_url=redis_url,
            log_path=opt.log_dir / f"app-{tag}.log",
            workers=opt.workers,
            web_dir=opt.web_dir,
            extra_env=opt.app_env,
        )
        stack.later(app.stop)
        log(f"app up at {app.url} in {time.monotonic() - t:.0f}s (log {app.log_path})")
        server = ProcessTree(app.process.pid)
        budget = None
        if opt.worker_cpus:
            workers = [proc.pid for proc in server.processes()[0].children()]
            if len(workers) != opt.workers:
                raise RuntimeError(f"expected {opt.workers} worker processes, found {len(workers)}")
            budget = WorkerBudget.apply(workers, opt.worker_cpus)
            stack.later(budget.release)
            log(f"workers {workers} limited to {opt.worker_cpus:g} cores each")
        boot = BootInfo.from_web_dir(ROOT / opt.web_dir)

        api = httpx.Client(base_url=f"{app.url}/api/v1", headers={"Authorization": f"Bearer {token}"}, timeout=30)
        stack.callback(api.close)
        r = api.post("/sessions", json={"title": f"Bench {n}"})
        r.raise_for_status()
        session_id = r.json()["id"]
        for k in range(opt.history):  # the set so far: earlier tracks, a few minutes apart
            body = play_body(-opt.history + k, n)
            body["played_at"] = (datetime.now(UTC) - timedelta(minutes=4 * (opt.history - k))).isoformat()
            api.post(f"/sessions/{session_id}/plays", json=body).raise_for_status()
        beats = Heartbeat(app.url, token, session_id, opt.heartbeat)
        stack.later(beats.stop)

        # Idle: the app with its session open and no dancer.
        time.sleep(opt.settle)
        idle = {"rss": server.rss(), "pss": server.pss(), "redis_rss": redis_tree.rss()}

        # The crowd processes, each with its slice of dancers.
        ctx = multiprocessing.get_context("spawn")
        procs = min(opt.client_procs, n)
        sizes = [n // procs + (1 if i < n % procs else 0) for i in range(procs)]
        crowds: list[CrowdHandle] = []
        stack.later(lambda: [c.stop() for c in crowds])
        first = 0
        firsts = []
        for size in sizes:
            crowds.append(CrowdHandle(ctx, app.url, boot, session_id, first, size, opt.deflate))
            firsts.append(first)
            first += size
        call_all(crowds, "ping", 60)

        def profile(phase: str) -> Profiler | None:
            if not opt.profile:
                return None
            profiler = Profiler(app.process.pid, opt.log_dir / f"pyspy-{tag}-{phase}.txt", opt.profile_rate)
            stack.later(profiler.stop)
            time.sleep(1.0)  # let py-spy attach before the phase starts
            return profiler

        # Doors open.
        profiler = profile("join")
        rate_interval = procs / opt.join_rate if opt.join_rate > 0 else 0.0
        per_concurrency = max(1, math.ceil(opt.join_concurrency / procs))
        cpu0, redis0, crowd0, busy0, own0 = server.cpu(), redis_tree.cpu(), crowd_cpu(crowds), machine_busy(), own_cpu()
        t0 = time.monotonic() + 0.5
        replies = call_all(
            crowds,
            "join",
            opt.join_timeout + 60,
            per_crowd=lambda i: {"offset": i / opt.join_rate if opt.join_rate > 0 else 0.0},
            t0=t0,
            interval=rate_interval,
            concurrency=per_concurrency,
            timeout=opt.join_timeout,
            connect_timeout=30.0,
        )
        t_join_end = time.monotonic()
        if profiler:
            profiler.stop()
        join_cpu = server.cpu() - cpu0
        join_redis_cpu = redis_tree.cpu() - redis0
        join_client_cpu = crowd_cpu(crowds) - crowd0
        join_busy = machine_busy() - busy0
        join_own = own_cpu() - own0
        rows = [row for reply in replies for row in reply["dancers"]]
        joined = [row for row in rows if row[2] is not None]
        errors: dict[str, int] = {}
        for row in rows:
            if row[4]:
                errors[row[4]] = errors.get(row[4], 0) + 1
        versions = sorted({row[3] for row in joined})
        join_wall = (max(row[2] for row in joined) - t0) if joined else None
        join_answers = [row[2] - row[0] for row in joined]
        log(
            f"joined {len(joined)}/{n} in {join_wall or 0:.1f}s; answer p95 "
            f"{stats.summary_ms(join_answers)['p95_ms']} ms; errors {errors or 'none'}"
        )
        if not joined:
            raise RuntimeError(f"no dancer joined: {errors}; see {app.log_path}")

        # Connected and quiet: memory, and the idle CPU rate that is netted out of each play.
        time.sleep(opt.settle)
        connected = {"rss": server.rss(), "pss": server.pss(), "redis_rss": redis_tree.rss()}
        call_all(crowds, "ping", 30)
        c0, r0, k0, b0, w0, q0 = (
            server.cpu(),
            redis_tree.cpu(),
            crowd_cpu(crowds),
            machine_busy(),
            own_cpu(),
            time.monotonic(),
        )
        time.sleep(opt.settle)
        call_all(crowds, "ping", 30)
        quiet = time.monotonic() - q0
        idle_rate = (server.cpu() - c0) / quiet
        redis_idle_rate = (redis_tree.cpu() - r0) / quiet
        other_idle = (
            (machine_busy() - b0)
            - (server.cpu() - c0)
            - (redis_tree.cpu() - r0)
            - (crowd_cpu(crowds) - k0)
            - (own_cpu() - w0)
        ) / quiet

        # A poll stays open through the plays: a third of the taps are votes.
        poll_id = 0
        if opt.act > 0:
            r = api.post(f"/sessions/{session_id}/polls",
                         json={"question": "Blues next?", "options": actions.POLL_OPTIONS})
            r.raise_for_status()
            poll_id = r.json()["id"]
        batches: list[dict] = []

        # Plays, one at a time.
        profiler = profile("plays")
        plays = []
        other_busy = other_time = 0.0
        for k in range(opt.plays):
            body = play_body(k, n)
            play_id = body["play_id"]
            call_all(crowds, "watch", 30, play_id=play_id)
            c0, r0, k0, b0, w0 = server.cpu(), redis_tree.cpu(), crowd_cpu(crowds), machine_busy(), own_cpu()
            d0 = db_tree.cpu()
            t_post = time.monotonic()
            post_error = None
            try:
                api.post(f"/sessions/{session_id}/plays", json=body).raise_for_status()
            except httpx.HTTPError as exc:  # recorded; the deliveries (if any) are still collected
                post_error = f"{type(exc).__name__}: {exc}"[:200]
            t_resp = time.monotonic()
            taps = actions.per_song_actions(n, opt.act, k, play_id, poll_id, opt.act_spread) if opt.act > 0 else []
            if taps:  # while the play fans out
                actions.send(crowds, firsts, taps, t_resp)
            replies = call_all(
                crowds, "collect", opt.deliver_timeout + 30, play_id=play_id, deadline=t_post + opt.deliver_timeout
            )
            t_done = time.monotonic()
            batch = None
            if taps:
                batch = actions.gather(crowds, t_resp, t_resp + opt.act_spread + opt.deliver_timeout)
                batches.append(batch)
            window = t_done - t_post
            server_cpu = server.cpu() - c0
            redis_cpu = redis_tree.cpu() - r0
            db_cpu = db_tree.cpu() - d0
            client_cpu = crowd_cpu(crowds) - k0
            busy = machine_busy() - b0
            other = busy - server_cpu - redis_cpu - db_cpu - client_cpu - (own_cpu() - w0)
            other_busy += other
            other_time += window
            times = [t - t_post for reply in replies for t in reply["times"]]
            expected = sum(reply["expected"] for reply in replies)
            wrong = sum(reply["wrong"] for reply in replies)
            play = {
                "play": k + 1,
                "at": round(time.time() - (time.monotonic() - t_post), 3),  # wall clock of the POST
                "post_ms": round((t_resp - t_post) * 1000, 1),
                "post_error": post_error,
                "expected": expected,
                "delivered": len(times),
                "lost": expected - len(times),
                "wrong": wrong,
                "bytes": max(reply["bytes"] for reply in replies),
                "latency_ms": stats.summary_ms(times),
                "server_cpu_ms": round((server_cpu - idle_rate * window) * 1000, 1),
                "server_cpu_gross_ms": round(server_cpu * 1000, 1),
                "redis_cpu_ms": round((redis_cpu - redis_idle_rate * window) * 1000, 1),
                "postgres_cpu_ms": round(db_cpu * 1000, 1),
                "client_cpu_ms": round(client_cpu * 1000, 1),
                "window_ms": round(window * 1000, 1),
                "other_load_cores": round(other / window, 2) if window > 0 else None,
                "actions": batch,
                "_times": times,
            }
            plays.append(play)
            lat = play["latency_ms"]
            log(
                f"play {k + 1}: {play['delivered']}/{expected} p50 {lat['p50_ms']} p95 {lat['p95_ms']} "
                f"p99 {lat['p99_ms']} max {lat['max_ms']} ms; POST {play['post_ms']} ms; "
                f"server CPU {play['server_cpu_ms']} ms; {play['bytes']} B"
            )
            if batch:
                log(f"  taps: {batch['acked']}/{batch['sent']} acked (refused {batch['refused']}), "
                    f"ack p50 {batch['ack_ms']['p50_ms']} p95 {batch['ack_ms']['p95_ms']} max {batch['ack_ms']['max_ms']} ms")
            if k + 1 < opt.plays and (pause := t_post + opt.interval - time.monotonic()) > 0:
                time.sleep(pause)

        if profiler:
            profiler.stop()

        # The storm: every dancer likes the last play within one second (those who already did are skipped).
        storm = None
        last_play = play_id if plays else None
        if opt.storm and last_play:
            time.sleep(opt.interval)
            liked_already = {a[0] for a in taps if a[1] == "toggle_like"}
            wave = [a for a in actions.storm_actions(n, last_play) if a[0] not in liked_already]
            profiler = profile("storm")
            c0 = server.cpu()
            storm = actions.dispatch(crowds, firsts, wave, time.monotonic() + 0.2, opt.deliver_timeout)
            storm["server_cpu_s"] = round(server.cpu() - c0, 2)
            batches.append(storm)
            if profiler:
                profiler.stop()
            log(f"storm: {storm['acked']}/{storm['sent']} acked (refused {storm['refused']}, lost {storm['lost']}, "
                f"unsent {storm['unsent']}; {storm['problems'] or 'no problems'}), "
                f"all within {storm['all_acked_s']} s; ack p50 {storm['ack_ms']['p50_ms']} "
                f"p95 {storm['ack_ms']['p95_ms']} max {storm['ack_ms']['max_ms']} ms")

        # What the DJ's terminal reads must count every stored tap exactly once.
        feed_check = None
        if batches and last_play:
            time.sleep(1.5)
            feed = api.get(f"/sessions/{session_id}/crowd").json()
            last_likes = sum(b["stored"].get("toggle_like", 0) for b in (plays[-1]["actions"], storm) if b)
            want = actions.expected_feed(batches, last_play, last_likes)
            got = {"likes_total": feed["likes_total"], "poll_total": (feed.get("poll") or {}).get("total", 0),
                   "now_playing_play_id": feed["now_playing_play_id"], "likes_current": feed["likes_current"]}
            feed_check = {"expected": {k: v for k, v in want.items() if v is not None}, "feed": got}
            feed_check["correct"] = all(got[k] == v for k, v in feed_check["expected"].items())
            log(f"crowd feed {'correct' if feed_check['correct'] else 'WRONG'}: {feed_check}")
        status = call_all(crowds, "status", 30)
        app_log = app.log()
        budget_end = budget and {"held": all(budget.holds().values()), **budget.throttled()}

    all_times = [t for p in plays for t in p.pop("_times")]
    tap_summary = actions.combine([p["actions"] for p in plays if p.get("actions")])
    for batch in [*(p["actions"] for p in plays if p.get("actions")), storm]:
        if batch:
            batch.pop("_ack_times", None)
    joined_n = len(joined)
    # Memory and join CPU are shared by every socket that connected, joined or not.
    connected_n = sum(1 for row in rows if row[1])
    mem_delta = (connected["rss"] + connected["redis_rss"]) - (idle["rss"] + idle["redis_rss"])
    pss_delta = (connected["pss"] + connected["redis_rss"]) - (idle["pss"] + idle["redis_rss"])
    n_plays = max(1, len(plays))
    return {
        "config": config,
        "manager": manager,
        "workers": opt.workers,
        "worker_cpus": opt.worker_cpus or None,
        "worker_budget": budget_end,
        "dancers": n,
        "join": {
            "joined": joined_n,
            "failed": n - joined_n,
            "errors": errors,
            "versions": versions,
            "wall_s": None if join_wall is None else round(join_wall, 2),
            "answer_ms": stats.summary_ms(join_answers),
            "server_cpu_s": round(join_cpu, 2),
            "redis_cpu_s": round(join_redis_cpu, 2),
            "client_cpu_s": round(join_client_cpu, 2),
            "other_load_cores": round(
                (join_busy - join_cpu - join_redis_cpu - join_client_cpu - join_own) / max(1e-9, t_join_end - t0), 2
            ),
        },
        "fanout_ms": stats.summary_ms(all_times),
        "first_play_ms": plays[0]["latency_ms"] if plays else None,
        "worst_play_p99_ms": max((p["latency_ms"]["p99_ms"] or 0) for p in plays) if plays else None,
        "lost": sum(p["lost"] for p in plays),
        "actions": tap_summary,
        "storm": storm,
        "crowd_feed": feed_check,
        "wrong": sum(p["wrong"] for p in plays),
        "plays": plays,
        "memory": {
            "idle_mb": round((idle["rss"] + idle["redis_rss"]) / MB, 1),
            "connected_mb": round((connected["rss"] + connected["redis_rss"]) / MB, 1),
            "app_rss_mb": [round(idle["rss"] / MB, 1), round(connected["rss"] / MB, 1)],
            "app_pss_mb": [round(idle["pss"] / MB, 1), round(connected["pss"] / MB, 1)],
            "redis_rss_mb": [round(idle["redis_rss"] / MB, 1), round(connected["redis_rss"] / MB, 1)],
            "connected_sockets": connected_n,
            "mb_per_dancer": round(mem_delta / MB / connected_n, 4) if connected_n else None,
            "mb_per_dancer_pss": round(pss_delta / MB / connected_n, 4) if connected_n else None,
        },
        "cpu": {
            "server_per_play_ms": round(sum(p["server_cpu_ms"] for p in plays) / n_plays, 1),
            "redis_per_play_ms": round(sum(p["redis_cpu_ms"] for p in plays) / n_plays, 1),
            "postgres_per_play_ms": round(sum(p["postgres_cpu_ms"] for p in plays) / n_plays, 1),
            "server_per_join_ms": round(join_cpu * 1000 / connected_n, 2) if connected_n else None,
            "server_idle_cores": round(idle_rate, 3),
            "client_per_play_ms": round(sum(p["client_cpu_ms"] for p in plays) / n_plays, 1),
            "client_procs": procs,
        },
        "other_load_cores": round(other_busy / other_time, 2) if other_time else None,
        "other_load_before_cores": None if load_before is None else round(load_before, 2),
        "heartbeat_failures": beats.failures,
        "other_load_idle_cores": round(other_idle, 2),
        "clients": {
            "open_at_end": sum(s["open"] for s in status),
            "pings_answered": sum(s["pings"] for s in status),
            "closed_reasons": {k: v for s in status for k, v in s["closed_reasons"].items()},
        },
        "server_log": {
            "tracebacks": app_log.count("Traceback"),
            "errors": sum(1 for line in app_log.splitlines() if " ERROR " in line or line.startswith("ERROR")),
            "path": str(app.log_path),
        },
    }


def code_version() -> dict:
    """Which code was measured: the commit, and the files changed since (others work in the same tree)."""
    import subprocess

    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10).stdout.rstrip()
        except (OSError, subprocess.SubprocessError):
            return ""

    changed = [line[3:] for line in git("status", "--porcelain", "--", "pika", "rxconfig.py").splitlines()]
    return {"commit": git("rev-parse", "--short", "HEAD"), "changed_app_files": changed}


def _raise_interrupt(signum, _frame):
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: list[str] | None = None) -> int:
    opt = parse_args(argv)
    signal.signal(signal.SIGTERM, _raise_interrupt)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # also when started in the background
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # thousands of sockets, here and in the app
    opt.log_dir.mkdir(parents=True, exist_ok=True)
    log(f"logs in {opt.log_dir}; machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}")
    results: list[dict] = []
    errored: list[dict] = []
    pg_holder: dict = {}
    run_no = 0
    try:
        for manager in opt.managers:
            for n in opt.dancers:
                run_no += 1
                try:
                    results.append(run_one(opt, manager, n, pg_holder, run_no))
                except Exception as exc:  # one broken run is a result too; go on with the next size
                    log(f"run failed: {type(exc).__name__}: {exc}")
                    errored.append(
                        {
                            "manager": manager,
                            "workers": opt.workers,
                            "dancers": n,
                            "error": f"{type(exc).__name__}: {exc}"[:500],
                        }
                    )
                    continue
                print(stats.render_table(results[-1:]), flush=True)
    except KeyboardInterrupt:
        log("interrupted: stopping everything")
        return 130
    finally:
        if "pg" in pg_holder:
            stop_postgres(pg_holder["pg"])
        for bad in errored:
            print(f"FAILED RUN: {bad}")
        if results or errored:
            print()
            if results:
                print(stats.render_table(results))
            if opt.json_path:
                opt.json_path.parent.mkdir(parents=True, exist_ok=True)
                opt.json_path.write_text(
                    json.dumps(
                        {
                            "command": "python -m bench.fanout " + " ".join(argv if argv is not None else sys.argv[1:]),
                            "when": datetime.now(UTC).isoformat(timespec="seconds"),
                            "cores": os.cpu_count(),
                            "code": code_version(),
                            "options": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(opt).items()},
                            "results": results,
                            "failed_runs": errored,
                        },
                        indent=2,
                    )
                )
                log(f"figures written to {opt.json_path}")
    failed = bool(errored) or any(r["lost"] or r["join"]["failed"] or r["wrong"] for r in results)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
