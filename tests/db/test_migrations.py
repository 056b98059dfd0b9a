"""The migrations and the models agree: autogenerate finds nothing to add, on both databases."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

import pika.models  # noqa: F401


def test_migrations_and_models_agree(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == []


def test_required_indexes_exist(engine):
    indexes = {ix["name"] for ix in inspect(engine).get_indexes("play")}
    assert "ix_play_session_played_at" in indexes


def test_migrating_twice_is_harmless(engine):
    from pika.db import migrate

    migrate(engine)
    assert inspect(engine).has_table("session")


def test_an_install_with_data_upgrades_and_keeps_every_row(stack):
    """A DJ who ran an earlier version has rows pointing at `dj`; 0004 rebuilds `dj` on SQLite."""
    from alembic import command
    from sqlalchemy import text

    from pika.db import alembic_config, make_engine, migrate

    engine = make_engine(stack.database_url)
    command.upgrade(alembic_config(stack.database_url), "0003")
    with engine.begin() as db:
        db.execute(text("INSERT INTO dj (id, email, display_name, slug, bio, is_organizer, created_at) "
                        "VALUES (1, 'nova@example.com', 'Nova', 'nova', '', false, '2026-11-01 20:00:00')"))
        db.execute(text("INSERT INTO session (id, dj_id, title, status, started_at, last_heartbeat_at, "
                        "last_activity_at, room_version) VALUES ('abcdefghjkmn', 1, 'Friday', 'live', "
                        "'2026-11-01 20:00:00', '2026-11-01 20:00:00', '2026-11-01 20:00:00', 0)"))

    migrate(engine)

    with engine.connect() as db:
        assert db.execute(text("SELECT slug FROM dj")).scalars().all() == ["nova"]
        assert db.execute(text("SELECT dj_id FROM session")).scalars().all() == [1]
        if engine.dialect.name == "sqlite":  # enforcement is back on for the pooled connection
            assert db.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def test_a_failing_upgrade_leaves_the_database_as_it_was(stack):
    """All revisions apply together or not at all: never tables of some with the version of none."""
    import pytest
    from alembic import command
    from sqlalchemy import inspect, text

    from pika.db import alembic_config, make_engine, migrate

    engine = make_engine(stack.database_url)
    command.upgrade(alembic_config(stack.database_url), "0001")
    with engine.begin() as db:
        db.execute(text("CREATE TABLE web_session (id INTEGER PRIMARY KEY)"))  # 0004 cannot create it

    with pytest.raises(Exception, match="web_session"):
        migrate(engine)

    with engine.connect() as db:
        assert db.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0001"
    assert not inspect(engine).has_table("announcement")  # 0002's table did not stay behind
    engine.dispose()


def test_workers_starting_together_on_one_sqlite_file_all_start(tmp_path):
    """Several workers (GRANIAN_WORKERS with Redis) migrate the same new SQLite file at the same moment:
    one migrates, the others wait their turn and find nothing to do — none dies with "database is locked"."""
    import subprocess
    import sys
    import time

    from sqlalchemy import create_engine, text

    from tests.support.server import ROOT

    script = (
        "import sys, time\n"
        "from pika.db import make_engine, migrate\n"
        "engine = make_engine(sys.argv[1])\n"
        "time.sleep(max(0.0, float(sys.argv[2]) - time.time()))  # start together, imports done\n"
        "migrate(engine)\n"
    )
    for round_no in range(3):
        url = f"sqlite:///{tmp_path / f'pika-{round_no}.db'}"
        start = f"{time.time() + 4:.3f}"
        workers = [subprocess.Popen([sys.executable, "-c", script, url, start], cwd=ROOT,
                                    stderr=subprocess.PIPE, text=True) for _ in range(3)]
        errors = [w.communicate(timeout=60)[1] for w in workers]
        assert [w.returncode for w in workers] == [0, 0, 0], "\n".join(errors)[-3000:]
        engine = create_engine(url)
        with engine.connect() as db:
            assert db.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
        engine.dispose()
