"""Revision 0014 keeps when an invoice or a return was refunded, on SQLite and PostgreSQL: an
invoice refunded before it (only ever by cancelling its order) gets the cancellation's
day, anything else stays without one, and the downgrade keeps the rows."""

from __future__ import annotations

from datetime import datetime

from alembic import command

from bot.schema import alembic_config, upgrade
from tests.databases import insert_customer, rows

PLACED = datetime(2026, 11, 2, 9, 0)
CANCELLED = datetime(2026, 11, 2, 12, 0)


def seed_before_refund_dates(url: str) -> None:
    """A cancelled order with its invoice refunded, a delivered one returned and refunded,
    as revision 0013 stores them."""
    order = ("INSERT INTO orders (id, number, customer_id, status, delivery_method, placed_at,"
             " updated_at, cancelled_at, ship_address_line, ship_city, ship_postcode,"
             " ship_country_code, total_pence) VALUES (:id, :number, 1, :status, 'standard',"
             " :placed, :placed, :cancelled, '14 Mill Lane', 'Leeds', 'LS6 2QT', 'GB', 4999)")
    invoice = ("INSERT INTO invoices (number, order_id, issued_at, amount_pence, status)"
               " VALUES (:number, :order_id, :placed, 4999, :status)")
    insert_customer(url, PLACED)
    rows(url, order, id=1, number="HG-100001", status="cancelled", placed=PLACED,
         cancelled=CANCELLED)
    rows(url, order, id=2, number="HG-100002", status="delivered", placed=PLACED, cancelled=None)
    rows(url, invoice, number="INV-100001", order_id=1, placed=PLACED, status="refunded")
    rows(url, invoice, number="INV-100002", order_id=2, placed=PLACED, status="paid")
    rows(url, "INSERT INTO returns (rma, order_id, reason, status, refund_pence, created_at)"
              " VALUES ('RMA-123456', 2, 'Wrong size', 'refunded', 4999, :placed)", placed=PLACED)


def test_refunded_invoices_get_their_cancellations_day(database: str) -> None:
    config = alembic_config(database)
    command.upgrade(config, "0013")
    seed_before_refund_dates(database)

    upgrade(database)

    invoices = rows(database, "SELECT number, status, refunded_at FROM invoices ORDER BY number")
    assert [(i["number"], i["status"]) for i in invoices] == [("INV-100001", "refunded"),
                                                             ("INV-100002", "paid")]
    # SQLite hands the date back as text, PostgreSQL as a datetime
    assert str(invoices[0]["refunded_at"]) == str(CANCELLED)
    assert invoices[1]["refunded_at"] is None
    returned = rows(database, "SELECT status, refunded_at FROM returns")
    assert returned == [{"status": "refunded", "refunded_at": None}]  # its day was never kept

    command.downgrade(config, "0013")
    assert len(rows(database, "SELECT number FROM invoices")) == 2
    assert len(rows(database, "SELECT rma FROM returns")) == 1
