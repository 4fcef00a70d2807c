"""Brings a database to the current schema with Alembic: `python -m bot.schema`.

One Alembic history (`migrations/`) covers the company's tables and the gateway's. A
database made before migrations existed (its tables created directly) is stamped at the
revision it matches instead of being created twice.
"""

from __future__ import annotations

import sys

from alembic import command
from alembic.config import Config
from sqlalchemy import inspect

from ground.envfile import PROJECT_ROOT
from ground.database import create_database_engine

# the first revision: the company's tables, as they were created before migrations
COMPANY_REVISION = "0001"


def alembic_config(url: str) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str) -> None:
    """Applies every migration that `url` has not had yet."""
    config = alembic_config(url)
    engine = create_database_engine(url)
    try:
        tables = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    if "alembic_version" not in tables:
        if _all_tables() <= tables:
            command.stamp(config, "head")
        elif "customers" in tables:
            command.stamp(config, COMPANY_REVISION)
    command.upgrade(config, "head")


def _all_tables() -> set[str]:
    import company.models  # noqa: F401  (registers the company tables)
    import conversations.models  # noqa: F401  (registers the gateway's tables)
    import handoff.models  # noqa: F401  (registers the handoff tables)
    import needs.models  # noqa: F401  (registers the requirement tables)
    import feedback.models  # noqa: F401  (registers feedback and follow-ups)
    import trainer.models  # noqa: F401  (registers the trainer's decisions, flags, reveals, models)
    from ground.database import Base

    return set(Base.metadata.tables)


def main() -> int:
    from ground.settings import Settings

    url = Settings.from_env().database_url
    upgrade(url)
    print("database schema is current")
    return 0


if __name__ == "__main__":
    sys.exit(main())
