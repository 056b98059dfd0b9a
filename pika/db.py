"""Database engine, sessions, and migrations applied at start-up."""

from __future__ import annotations

import functools
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, create_engine

from pika.settings import PROJECT_ROOT, get_settings

ALEMBIC_DIR = PROJECT_ROOT / "alembic"
# Any constant works; it only has to be the same in every worker.
_MIGRATION_LOCK_ID = 7_411_2026


def _enable_sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=5000")
    _use_wal(cursor)
    cursor.execute("PRAGMA foreign_keys=ON")  # off by default
    cursor.close()


def _use_wal(cursor, attempts: int = 50) -> None:
    """WAL lets dancers' reads run while the agent writes. The mode is kept in the file, so only a new
    file switches; switching needs the file to itself, and SQLite answers "locked" at once (without
    busy_timeout's wait) while another connection — a worker starting beside this one — has it open."""
    for attempt in range(attempts):
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == attempts - 1:
                raise
            time.sleep(0.1)


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _enable_sqlite_pragmas)
        return engine
    # As many connections as the thread pool has threads (40), so a join storm reuses connections
    # instead of opening one (with its password handshake) per request.
    return create_engine(url, pool_pre_ping=True, pool_size=20, max_overflow=20)


@functools.cache
def get_engine() -> Engine:
    return make_engine(get_settings().database_url)


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """A unit of work: committed on success, rolled back on error."""
    with Session(engine or get_engine(), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def write_first(db: Session) -> None:
    """Start the transaction as a writer. SQLite only: a transaction that reads first and writes
    later fails at once ("database is locked") if another connection committed in between, and
    waiting (busy_timeout) cannot help it; taking the write lock at the start makes it wait its
    turn instead. PostgreSQL needs nothing."""
    if db.get_bind().dialect.name == "sqlite":
        db.connection().exec_driver_sql("BEGIN IMMEDIATE")


def insert_rows(db: Session, model: type, rows: list[dict], keys: tuple[str, ...],
                update: tuple[str, ...] = ()) -> set[tuple]:
    """Many rows in one statement: INSERT … ON CONFLICT (keys) DO NOTHING, or DO UPDATE the `update`
    columns. Returns the keys of the rows written (a row left alone is not returned). Batched taps
    use it; PostgreSQL and SQLite spell ON CONFLICT alike, but each dialect has its own construct."""
    if not rows:
        return set()
    insert = (postgresql if db.get_bind().dialect.name == "postgresql" else sqlite).insert(model)
    if update:
        statement = insert.on_conflict_do_update(index_elements=list(keys),
                                                 set_={name: insert.excluded[name] for name in update})
    else:
        statement = insert.on_conflict_do_nothing(index_elements=list(keys))
    statement = statement.returning(*(getattr(model, key) for key in keys))
    # Rows as parameters, not in the statement: SQLAlchemy then compiles it once and batches the
    # rows itself ("insertmanyvalues"), instead of compiling anew for every batch size.
    return {tuple(row) for row in db.connection().execute(statement, rows)}


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(ALEMBIC_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def migrate(engine: Engine | None = None) -> None:
    """Bring the schema to the newest revision. Safe to call from several workers at once."""
    engine = engine or get_engine()
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    if engine.dialect.name == "sqlite":
        _migrate_sqlite(engine, cfg)
        return
    with engine.begin() as connection:
        # Workers start together; the advisory lock makes the others wait, then find nothing to do.
        connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _MIGRATION_LOCK_ID})
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")


def _migrate_sqlite(engine: Engine, cfg: Config) -> None:
    """All revisions in ONE transaction, with foreign keys off while they run.

    Python's sqlite3 opens no transaction before DDL, so without an explicit BEGIN a failing
    revision left the tables of the earlier ones behind while alembic_version said otherwise
    (the next start then failed with "table … already exists"). And SQLite alters a table by
    copying it and dropping the old one: with foreign keys enforced the drop fails as soon as rows
    point at the table. Alembic's recipe: keys off outside the transaction, checked before commit,
    back on for the pooled connection. IMMEDIATE: workers starting together on one file would each
    read the version table, then both ask to write, and SQLite refuses one at once instead of letting
    it wait (busy_timeout); holding the write lock from the start, the others wait, then find
    nothing to do."""
    with engine.connect() as connection:
        connection = connection.execution_options(isolation_level="AUTOCOMMIT")  # we say BEGIN/COMMIT
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.exec_driver_sql("BEGIN IMMEDIATE")
        try:
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, "head")
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"migration left rows pointing nowhere: {broken[:5]}")
            connection.exec_driver_sql("COMMIT")
        except BaseException:
            connection.exec_driver_sql("ROLLBACK")
            raise
        finally:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")