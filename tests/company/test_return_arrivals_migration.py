"""Revision 0015 keeps when a returned parcel reached the company, on SQLite and PostgreSQL:
returns made before it stay without an arrival (none was ever recorded), the day can be
kept from then on, and the downgrade keeps the rows."""

from __future__ import annotations

from datetime import datetime

from alembic import command

from bot.schema import alembic_config, upgrade
from tests.databases import insert_customer, rows

PLACED = datetime(2026, 11, 2, 9, 0)
REGISTERED = datetime(2026, 11, 9, 14, 0)
RECEIVED = datetime(2026, 11, 12, 10, 30)


def seed_before_return_arrivals(url: str) -> None:
    """A delivered order with a return waiting for its refund and a refunded one, as revision
    0014 stores them."""
    insert_customer(url, PLACED)
    rows(url, "INSERT INTO orders (id, number, customer_id, status, delivery_method, placed_at,"
              " updated_at, ship_address_line, ship_city, ship_postcode, ship_country_code,"
              " total_pence) VALUES (1, 'HG-100001', 1, 'delivered', 'standard', :placed,"
              " :placed, '14 Mill Lane', 'Leeds', 'LS6 2QT', 'GB', 4999)", placed=PLACED)
    returned = ("INSERT INTO returns (rma, order_id, reason, status, refund_pence, created_at,"
                " refunded_at) VALUES (:rma, 1, 'Wrong size', :status, 4999, :registered,"
                " :refunded)")
    rows(url, returned, rma="RMA-111111", status="requested", registered=REGISTERED, refunded=None)
    rows(url, returned, rma="RMA-222222", status="refunded", registered=REGISTERED,
         refunded=RECEIVED)


def test_returns_keep_their_rows_and_gain_an_empty_arrival(database: str) -> None:
    config = alembic_config(database)
    command.upgrade(config, "0014")
    seed_before_return_arrivals(database)

    upgrade(database)

    returned = rows(database, "SELECT rma, status, received_at FROM returns ORDER BY rma")
    # no arrival was ever recorded: none is made up
    assert returned == [{"rma": "RMA-111111", "status": "requested", "received_at": None},
                        {"rma": "RMA-222222", "status": "refunded", "received_at": None}]
    rows(database, "UPDATE returns SET received_at = :received WHERE rma = 'RMA-111111'",
         received=RECEIVED)
    kept = rows(database, "SELECT received_at FROM returns WHERE rma = 'RMA-111111'")
    assert str(kept[0]["received_at"]) == str(RECEIVED)  # SQLite gives text, PostgreSQL a datetime

    command.downgrade(config, "0014")
    assert rows(database, "SELECT rma, status FROM returns ORDER BY rma") == [
        {"rma": "RMA-111111", "status": "requested"}, {"rma": "RMA-222222", "status": "refunded"}]
    columns = rows(database, "SELECT * FROM returns WHERE rma = 'RMA-111111'")[0]
    assert "received_at" not in columns and "refunded_at" in columns
