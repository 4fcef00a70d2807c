"""The Alembic history builds exactly the schema the models describe."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

import conversations.models  # noqa: F401
import handoff.models  # noqa: F401
import needs.models  # noqa: F401
import feedback.models  # noqa: F401
import trainer.models  # noqa: F401
from bot.schema import upgrade
from ground.database import create_database_engine
from ground.database import Base


def test_migrations_create_every_table_and_match_the_models(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    upgrade(url)
    engine = create_database_engine(url)
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    engine.dispose()
    upgrade(url)  # a second run changes nothing and does not fail


def test_a_database_made_before_migrations_is_adopted(tmp_path: Path) -> None:
    """The company tables existed (created directly) before the gateway's, the handoff's and
    the service plan's migrations."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = create_database_engine(url)
    gateway_tables = {"chat_customers", "channel_identities", "conversations", "messages", "deliveries"}
    handoff_tables = {"staff_users", "staff_sessions", "account_assignments", "tickets", "ticket_events",
                      "ratings"}
    service_tables = {"requirements", "webhook_deliveries", "feedback", "nps_responses",
                      "follow_ups", "follow_up_opt_outs", "review_decisions", "training_flags",
                      "model_versions", "trainer_reveals"}
    security_tables = {"identity_checks"}
    account_tables = {"erasure_requests", "newsletter_preferences"}
    later_tables = gateway_tables | handoff_tables | service_tables | security_tables | account_tables
    company_tables = [t for name, t in Base.metadata.tables.items() if name not in later_tables]
    Base.metadata.create_all(engine, tables=company_tables)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE keep_me (id INTEGER)"))
        connection.execute(text("INSERT INTO keep_me VALUES (42)"))
    engine.dispose()
    upgrade(url)
    engine = create_database_engine(url)
    assert later_tables <= set(inspect(engine).get_table_names())
    with engine.connect() as connection:
        assert connection.execute(text("SELECT id FROM keep_me")).scalar_one() == 42
        assert [d[1].name for d in compare_metadata(MigrationContext.configure(connection), Base.metadata)] == ["keep_me"]
    engine.dispose()
