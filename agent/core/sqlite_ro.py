"""A read-only, lock-tolerant view of another program's SQLite database.

Rules from the research (WNP #1401 and friends):
- open with ``file:...?mode=ro`` (uri=True); never ``immutable=1``, which
  hides the writer's changes, and never write;
- keep ONE connection so ``PRAGMA data_version`` can tell when another
  connection committed (it is per connection);
- retry "database is locked" with exponential backoff.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from agent.core.errors import SourceError

T = TypeVar("T")

_LOCKED = ("locked", "busy")


def is_locked_error(exc: BaseException) -> bool:
    return isinstance(exc, sqlite3.OperationalError) and any(word in str(exc).lower() for word in _LOCKED)


def with_retry(
    action: Callable[[], T],
    *,
    retries: int = 8,
    base_delay_s: float = 0.1,
    max_delay_s: float = 2.0,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Run action; on a locked/busy database wait 0.1, 0.2, 0.4 … s and retry."""
    delay = base_delay_s
    for attempt in range(retries + 1):
        try:
            return action()
        except sqlite3.OperationalError as exc:
            if not is_locked_error(exc):
                raise
            if attempt == retries:
                raise SourceError(f"database stays locked: {exc}") from exc
            sleep(delay)
            delay = min(delay * 2, max_delay_s)
    raise AssertionError("unreachable")  # pragma: no cover


class ReadOnlyDB:
    """One lazily opened read-only connection, safe to share between threads."""

    def __init__(
        self,
        path: Path,
        *,
        timeout_s: float = 0.25,
        retries: int = 8,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.path = Path(path)
        self._timeout_s = timeout_s
        self._retries = retries
        self._sleep = sleep
        self._conn: sqlite3.Connection | None = None
        self._identity: tuple[int, int] | None = None
        self._lock = threading.RLock()

    def _file_identity(self) -> tuple[int, int] | None:
        try:
            st = self.path.stat()
        except OSError:
            return None
        return (st.st_dev, st.st_ino)

    def _connection(self) -> sqlite3.Connection | None:
        identity = self._file_identity()
        if identity is None:
            self.close()
            return None
        if self._conn is not None and identity != self._identity:
            self.close()  # file was replaced (restore, re-install): reopen
        if self._conn is None:
            uri = f"{self.path.resolve().as_uri()}?mode=ro"
            try:
                conn = sqlite3.connect(
                    uri, uri=True, timeout=self._timeout_s, check_same_thread=False, isolation_level=None
                )
                conn.row_factory = sqlite3.Row
                conn.execute("PRAGMA query_only = ON")
            except sqlite3.Error as exc:
                if is_locked_error(exc):
                    raise
                raise SourceError(f"cannot open {self.path}: {exc}") from exc
            self._conn, self._identity = conn, identity
        return self._conn

    def _run(self, action: Callable[[sqlite3.Connection], T]) -> T | None:
        def attempt() -> T | None:
            conn = self._connection()
            return None if conn is None else action(conn)

        with self._lock:
            try:
                return with_retry(attempt, retries=self._retries, sleep=self._sleep)
            except sqlite3.DatabaseError as exc:
                raise SourceError(f"cannot read {self.path}: {exc}") from exc

    def query(self, sql: str, params: Sequence[object] = ()) -> list[sqlite3.Row]:
        """All rows (fetched at once, so no read transaction stays open)."""
        rows = self._run(lambda conn: conn.execute(sql, params).fetchall())
        return rows or []

    def data_version(self) -> int | None:
        """Changes whenever another connection commits; None if no database."""
        return self._run(lambda conn: conn.execute("PRAGMA data_version").fetchone()[0])

    def tables(self) -> set[str]:
        rows = self.query("SELECT name FROM sqlite_master WHERE type = 'table'")
        return {row[0] for row in rows}

    def columns(self, table: str) -> set[str]:
        rows = self.query(f"PRAGMA table_info({table!r})")
        return {row[1] for row in rows}

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                with contextlib.suppress(sqlite3.Error):
                    self._conn.close()
            self._conn, self._identity = None, None
