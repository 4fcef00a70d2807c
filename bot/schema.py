"""The database schema's one owner: which tables exist, and Alembic bringing a database to
them (`python -m bot.schema`, `make migrate`).

`MODEL_MODULES` is the table registry: every module that declares tables on the shared
`Base`. Alembic's environment (`migrations/env.py`), the schema test and anything else that
needs the whole table list take it from `metadata()`. Nothing else creates or changes tables:
the app, the seed and the test fixtures all call `upgrade()`, so every database is built by
the same migrations (`migrations/`: the company's tables, the gateway's and the rest).

A database made before migrations existed (its tables created directly) is stamped at the
revision it matches instead of being created twice.
"""

from __future__ import annotations

import importlib
import sys

from alembic import command
from alembic.config import Config
from sqlalchemy import MetaData, inspect

from ground.envfile import PROJECT_ROOT
from ground.database import create_database_engine

# every module that declares tables; a new models module is added here, then a migration
MODEL_MODULES = (
    "company.models",
    "conversations.models",
    "handoff.models",
    "needs.models",
    "feedback.models",
    "trainer.models",
)

# the first revision: the company's tables, as they were created before migrations
COMPANY_REVISION = "0001"


def metadata() -> MetaData:
    """Every table of the project, as the models declare them (the migrations' target)."""
    for name in MODEL_MODULES:
        importlib.import_module(name)
    from ground.database import Base

    return Base.metadata


def alembic_config(url: str) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str) -> None:
    """Applies every migration that `url` has not had yet (creating the database's tables
    on first use)."""
    config = alembic_config(url)
    engine = create_database_engine(url)
    try:
        tables = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    if "alembic_version" not in tables:
        if set(metadata().tables) <= tables:
            command.stamp(config, "head")
        elif "customers" in tables:
            command.stamp(config, COMPANY_REVISION)
    command.upgrade(config, "head")


def main() -> int:
    from ground.settings import Settings

    url = Settings.from_env().database_url
    upgrade(url)
    print("database schema is current")
    return 0


if __name__ == "__main__":
    sys.exit(main())
