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
