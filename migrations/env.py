"""Alembic environment: the URL is given by bot.schema (or DATABASE_URL), never written here."""

from alembic import context

import company.models  # noqa: F401  (registers the company tables)
import conversations.models  # noqa: F401  (registers the gateway's tables)
import handoff.models  # noqa: F401  (registers the handoff tables)
import needs.models  # noqa: F401  (registers the requirement tables)
import feedback.models  # noqa: F401  (registers feedback and follow-ups)
import trainer.models  # noqa: F401  (registers the trainer's decisions, flags, reveals, models)
from ground.database import create_database_engine
from ground.database import Base

target_metadata = Base.metadata


def _url() -> str:
    configured = context.config.get_main_option("sqlalchemy.url")
    if configured:
        return configured
    from ground.settings import Settings

    return Settings.from_env().database_url


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True,
                      render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_database_engine(_url())
    with engine.connect() as connection:
        _run(connection)
    engine.dispose()


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    # batch mode lets later migrations alter SQLite tables (copy-and-move)
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
