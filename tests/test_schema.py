"""The Alembic history builds exactly the schema the models describe."""

from __future__ import annotations

import re
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from bot.schema import COMPANY_REVISION, MODEL_MODULES, alembic_config, metadata, upgrade
from ground.database import create_database_engine, session_factory

PROJECT_ROOT = Path(__file__).resolve().parent.parent
METADATA = metadata()  # every table, from the registry


def test_migrations_create_every_table_and_match_the_models(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    upgrade(url)
    engine = create_database_engine(url)
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), METADATA) == []
    assert set(METADATA.tables) <= set(inspect(engine).get_table_names())
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
                      "aftercare_messages", "aftercare_opt_outs", "review_decisions", "training_flags",
                      "model_versions", "trainer_reveals"}
    security_tables = {"identity_checks"}
    account_tables = {"erasure_requests", "newsletter_preferences"}
    later_tables = gateway_tables | handoff_tables | service_tables | security_tables | account_tables
    # the company's tables as they were before migrations existed: what the first revision
    # makes (not today's models, whose later columns, such as invoices.refunded_at, a later
    # revision adds), without Alembic's record of it
    command.upgrade(alembic_config(url), COMPANY_REVISION)
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE alembic_version"))
    assert set(inspect(engine).get_table_names()).isdisjoint(later_tables)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE keep_me (id INTEGER)"))
        connection.execute(text("INSERT INTO keep_me VALUES (42)"))
    engine.dispose()
    upgrade(url)
    engine = create_database_engine(url)
    assert later_tables <= set(inspect(engine).get_table_names())
    with engine.connect() as connection:
        assert connection.execute(text("SELECT id FROM keep_me")).scalar_one() == 42
        assert [d[1].name for d in compare_metadata(MigrationContext.configure(connection), METADATA)] == ["keep_me"]
    engine.dispose()


def test_the_registry_names_every_module_that_declares_tables() -> None:
    declaring = set()
    for path in PROJECT_ROOT.glob("**/*.py"):
        relative = path.relative_to(PROJECT_ROOT)
        if relative.parts[0] in (".venv", ".venv-fuzz", "tests", "migrations"):
            continue
        if re.search(r"^class \w+\(Base\):", path.read_text(encoding="utf-8"), re.MULTILINE):
            declaring.add(".".join(relative.with_suffix("").parts))
    assert declaring == set(MODEL_MODULES)


def test_opening_sessions_creates_no_tables(tmp_path: Path) -> None:
    """Only the migrations make tables; a database nobody migrated stays empty."""
    url = f"sqlite:///{tmp_path / 'unmigrated.db'}"
    with session_factory(url)() as session:
        assert session.execute(text("SELECT 1")).scalar_one() == 1
    engine = create_database_engine(url)
    assert inspect(engine).get_table_names() == []
    engine.dispose()
