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
