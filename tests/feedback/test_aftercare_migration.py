"""Revision 0013 renames the 3-7-30 messages' tables ("follow_ups" -> "aftercare_messages")
on a database that already holds them, on SQLite and PostgreSQL: the rows, the NPS answers'
link and the id sequence survive the upgrade and the downgrade, and afterwards the schema is
exactly the models' with no name of the old tables left."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Dict, List

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from bot.schema import alembic_config, metadata
from ground.database import create_database_engine
from tests.databases import rows

AT = datetime(2026, 11, 24, 9, 0)


def seed_before_the_rename(url: str) -> None:
    """Two messages of a resolved case (the NPS one sent and answered 9, day 3 pending) and
    an opt-out, as revision 0012 stores them."""
    statements = [
        "INSERT INTO chat_customers (id, created_at) VALUES (1, :at)",
        ("INSERT INTO channel_identities (id, channel, external_id, chat_customer_id, created_at)"
         " VALUES (1, 'web', 'browser-1', 1, :at)"),
        ("INSERT INTO conversations (id, channel, identity_id, chat_customer_id, state, needs_human,"
         " token_generation, created_at, updated_at)"
         " VALUES ('c1', 'web', 1, 1, 'bot', false, 1, :at, :at)"),
        ("INSERT INTO tickets (id, conversation_id, channel, status, tier, reasons, priority, context,"
         " summary, created_at, first_response_due, resolution_due, updated_at)"
         " VALUES (1, 'c1', 'web', 'resolved', 1, '[]', 1, '{}', 's', :at, :at, :at, :at)"),
        ("INSERT INTO follow_ups (ticket_id, conversation_id, kind, due_at, status, sent_at,"
         " outcome, created_at) VALUES (1, 'c1', 'nps', :at, 'sent', :at, 'nps 9', :at)"),
        ("INSERT INTO follow_ups (ticket_id, conversation_id, kind, due_at, status, created_at)"
         " VALUES (1, 'c1', 'solved_check', :at, 'pending', :at)"),
        ("INSERT INTO nps_responses (conversation_id, score, follow_up_id, created_at)"
         " VALUES ('c1', 9, 1, :at)"),
        "INSERT INTO follow_up_opt_outs (conversation_id, created_at) VALUES ('c1', :at)",
    ]
    for statement in statements:
        rows(url, statement, at=AT)


def names(url: str) -> List[str]:
    """Every table, column, index and constraint name (and, on PostgreSQL, sequence)."""
    engine = create_database_engine(url)
    try:
        found: List[str] = []
        inspector = inspect(engine)
        for table in inspector.get_table_names():
            found.append(table)
            found += [c["name"] for c in inspector.get_columns(table)]
            found += [i["name"] for i in inspector.get_indexes(table)]
            found += [u["name"] or "" for u in inspector.get_unique_constraints(table)]
            found += [f["name"] or "" for f in inspector.get_foreign_keys(table)]
            found.append(inspector.get_pk_constraint(table)["name"] or "")
        if engine.dialect.name == "postgresql":
            with engine.connect() as connection:
                found += connection.execute(text("SELECT relname FROM pg_class")).scalars().all()
                found += connection.execute(text("SELECT conname FROM pg_constraint")).scalars().all()
        return found
    finally:
        engine.dispose()


def schema_differences(url: str) -> List[Any]:
    engine = create_database_engine(url)
    try:
        with engine.connect() as connection:
            return compare_metadata(MigrationContext.configure(connection), metadata())
    finally:
        engine.dispose()


def messages(url: str, table: str) -> List[Dict[str, Any]]:
    return rows(url, f"SELECT id, kind, status, outcome FROM {table} ORDER BY id")


def test_the_rename_keeps_every_row_both_ways(database: str) -> None:
    config = alembic_config(database)
    command.upgrade(config, "0012")
    seed_before_the_rename(database)
    before = messages(database, "follow_ups")
    assert [m["kind"] for m in before] == ["nps", "solved_check"]
    names_before = sorted(names(database))

    command.upgrade(config, "0013")
    # the models' schema, but for what later revisions add (0014: the refund dates; 0015: the
    # returned parcels' arrival; 0016: the link to a return's label mail; 0017: who recorded
    # a return's arrival and refund; 0018: the requirement notes' table; 0019: the deliveries'
    # index by address)
    differences = schema_differences(database)
    assert [d[1].name for d in differences if d[0] == "add_table"] == ["requirement_notes"]
    assert [d[1].name for d in differences if d[0] == "add_index" and d[1].table.name == "deliveries"] == [
        "ix_deliveries_address_waiting"]
    differences = [d for d in differences if d[0] != "add_table"
                   and not (d[0] == "add_index" and d[1].table.name in ("requirement_notes", "deliveries"))]
    assert {(d[0], d[2], d[3].name) for d in differences if d[0] == "add_column"} == {
        ("add_column", "invoices", "refunded_at"), ("add_column", "returns", "refunded_at"),
        ("add_column", "returns", "received_at"), ("add_column", "returns", "label_email_id"),
        ("add_column", "returns", "received_by"), ("add_column", "returns", "refunded_by")}
    assert [(d[0], d[1].table.name, tuple(d[1].column_keys)) for d in differences
            if d[0] != "add_column"] == [("add_fk", "returns", ("label_email_id",))]
    assert messages(database, "aftercare_messages") == before
    assert rows(database, "SELECT score, aftercare_message_id FROM nps_responses") == [
        {"score": 9, "aftercare_message_id": 1}]
    assert rows(database, "SELECT conversation_id FROM aftercare_opt_outs") == [{"conversation_id": "c1"}]
    left = [name for name in names(database) if "follow_up" in name]
    # the follow-up tickets keep their name
    assert left and all("follow_up_of" in name or "follow_up_ticket" in name for name in left), left
    # the id goes on counting after the copied rows (PostgreSQL: the renamed sequence)
    rows(database, "INSERT INTO aftercare_messages (ticket_id, conversation_id, kind, due_at, status,"
         " created_at) VALUES (1, 'c1', 'usage_tips', :at, 'pending', :at)", at=AT)
    assert [m["id"] for m in messages(database, "aftercare_messages")] == [1, 2, 3]

    command.downgrade(config, "0012")
    assert [m["kind"] for m in messages(database, "follow_ups")] == ["nps", "solved_check", "usage_tips"]
    assert rows(database, "SELECT score, follow_up_id FROM nps_responses") == [
        {"score": 9, "follow_up_id": 1}]
    assert rows(database, "SELECT conversation_id FROM follow_up_opt_outs") == [{"conversation_id": "c1"}]
    assert sorted(names(database)) == names_before  # revision 0012's schema, every name

    command.upgrade(config, "head")
    assert schema_differences(database) == []
    assert len(messages(database, "aftercare_messages")) == 3
