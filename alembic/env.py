"""Alembic environment wired to the SQLModel metadata and the settings' database URL."""

from alembic import context
from sqlmodel import SQLModel

import pika.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from pika.db import make_engine
from pika.db_types import UTCDateTime
from pika.settings import get_settings

config = context.config
target_metadata = SQLModel.metadata


def _render_item(type_: str, obj, autogen_context):
    """Render our own column types by their import path (others: Alembic's default)."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        autogen_context.imports.add("import pika.db_types")
        return "pika.db_types.UTCDateTime()"
    return False


def _configure(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        compare_type=True,
        # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        render_item=_render_item,
    )


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = config.get_main_option("sqlalchemy.url") or get_settings().database_url
    with make_engine(url).connect() as connection:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("Offline migrations are not supported; run against a database.")
run_migrations_online()
