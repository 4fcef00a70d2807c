"""Revision 0017 keeps who recorded a return's arrival and refund, on SQLite and PostgreSQL:
returns recorded before it keep their dates and gain no name (none was kept), a name can be
kept from then on, and the downgrade keeps the rows."""

from __future__ import annotations

from alembic import command

from bot.schema import alembic_config, upgrade
from tests.company.test_return_arrivals_migration import RECEIVED, seed_before_return_arrivals
from tests.databases import rows


def test_returns_gain_empty_names_and_keep_their_dates(database: str) -> None:
    config = alembic_config(database)
    command.upgrade(config, "0014")
    seed_before_return_arrivals(database)
    command.upgrade(config, "0016")
    rows(database, "UPDATE returns SET received_at = :received", received=RECEIVED)

    upgrade(database)

    returned = rows(database, "SELECT rma, status, received_by, refunded_by FROM returns ORDER BY rma")
    assert returned == [
        {"rma": "RMA-111111", "status": "requested", "received_by": None, "refunded_by": None},
        {"rma": "RMA-222222", "status": "refunded", "received_by": None, "refunded_by": None}]
    rows(database, "UPDATE returns SET received_by = 'sam' WHERE rma = 'RMA-111111'")
    assert rows(database, "SELECT received_by FROM returns WHERE rma = 'RMA-111111'") == [
        {"received_by": "sam"}]

    command.downgrade(config, "0016")
    columns = rows(database, "SELECT * FROM returns WHERE rma = 'RMA-111111'")[0]
    assert "received_by" not in columns and "refunded_by" not in columns
    assert str(columns["received_at"]) == str(RECEIVED)
