"""Real PostgreSQL and Redis servers for tests and benchmarks, from Debian's packages.

Each server runs on a free loopback port in a temporary folder and is stopped by its pid.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listening on 127.0.0.1:{port} after {timeout}s")


@dataclass
class Redis:
    port: int
    pid: int
    dir: Path

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"


def start_redis(port: int | None = None, directory: Path | None = None) -> Redis:
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("redis-server is not installed (make test installs it: apt-get install redis-server)")
    port = port or free_port()
    directory = directory or Path(tempfile.mkdtemp(prefix="pika-redis-"))
    pidfile = directory / "redis.pid"
    subprocess.run(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--daemonize", "yes", "--dir", str(directory),
         "--pidfile", str(pidfile), "--save", "", "--appendonly", "no", "--maxclients", "20000",
         "--logfile", str(directory / "redis.log")],
        check=True,
    )
    wait_for_port(port)
    deadline = time.monotonic() + 5
    while not pidfile.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    return Redis(port=port, pid=int(pidfile.read_text().strip()), dir=directory)


def stop_pid(pid: int, timeout: float = 10.0) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, 15)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            os.kill(pid, 0)
            time.sleep(0.05)
        os.kill(pid, 9)


def stop_redis(redis: Redis) -> None:
    stop_pid(redis.pid)
    shutil.rmtree(redis.dir, ignore_errors=True)


def restart_redis(redis: Redis) -> Redis:
    """Stop this Redis and start a new, EMPTY one on the same port (no persistence: the harsh case)."""
    stop_pid(redis.pid)
    (redis.dir / "redis.pid").unlink(missing_ok=True)
    return start_redis(port=redis.port, directory=redis.dir)


def _pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise RuntimeError("PostgreSQL is not installed (make test installs it: apt-get install postgresql)")
    return found[-1]


def _as_postgres(cmd: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root; on a developer's own account they run as is.
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@dataclass
class Postgres:
    port: int
    dir: Path

    def url(self, database: str = "pika") -> str:
        return f"postgresql+psycopg://pika:pika@127.0.0.1:{self.port}/{database}"


def start_postgres() -> Postgres:
    directory = Path(tempfile.mkdtemp(prefix="pika-pg-"))
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres", "postgres")
    data = directory / "data"
    port = free_port()
    pwfile = directory / "pw"
    pwfile.write_text("pika\n")
    if os.geteuid() == 0:
        shutil.chown(pwfile, "postgres", "postgres")
    subprocess.run(
        _as_postgres([_pg_bin("initdb"), "-D", str(data), "-U", "pika", "--pwfile", str(pwfile), "-A", "scram-sha-256",
                      "-E", "UTF8", "--locale", "C.UTF-8", "--no-sync"]),
        check=True, stdout=subprocess.DEVNULL,
    )
    subprocess.run(
        _as_postgres([_pg_bin("pg_ctl"), "-D", str(data), "-l", str(directory / "pg.log"), "-w", "-o",
                      f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={directory} "
                      "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300",
                      "start"]),
        check=True, stdout=subprocess.DEVNULL,
    )
    pg = Postgres(port=port, dir=directory)
    create_database(pg, "pika")
    return pg


def create_database(pg: Postgres, name: str) -> str:
    import psycopg

    with psycopg.connect(f"host=127.0.0.1 port={pg.port} user=pika password=pika dbname=postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return pg.url(name)


def postmaster_pid(pg: Postgres) -> int:
    """The server's main process; its children are the backends (for measuring its CPU)."""
    return int((pg.dir / "data" / "postmaster.pid").read_text().split()[0])


def stop_postgres(pg: Postgres) -> None:
    subprocess.run(_as_postgres([_pg_bin("pg_ctl"), "-D", str(pg.dir / "data"), "-m", "immediate", "stop"]),
                   check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    shutil.rmtree(pg.dir, ignore_errors=True)


@contextlib.contextmanager
def running_postgres() -> Iterator[Postgres]:
    pg = start_postgres()
    try:
        yield pg
    finally:
        stop_postgres(pg)


@contextlib.contextmanager
def running_redis() -> Iterator[Redis]:
    redis = start_redis()
    try:
        yield redis
    finally:
        stop_redis(redis)
