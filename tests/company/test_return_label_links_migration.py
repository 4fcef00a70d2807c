"""Revision 0016 links each return to the mail that carried its returns label, on SQLite and
PostgreSQL: existing returns are linked to their own label mail (the latest, if it was sent
twice), never to another return's, and a return mailed no label stays unlinked; the
downgrade keeps the rows."""

from __future__ import annotations

from datetime import datetime, timedelta

from alembic import command

from bot.schema import alembic_config, upgrade
from tests.databases import insert_customer, rows

PLACED = datetime(2026, 11, 2, 9, 0)
REGISTERED = datetime(2026, 11, 9, 14, 0)


def seed_before_label_links(url: str) -> None:
    """Two delivered orders: one with two returns, each mailed its label (the first one
    twice), and a return recorded by staff without a label; as revision 0015 stores them."""
    insert_customer(url, PLACED)
    order = ("INSERT INTO orders (id, number, customer_id, status, delivery_method, placed_at,"
             " updated_at, ship_address_line, ship_city, ship_postcode, ship_country_code,"
             " total_pence) VALUES (:id, :number, 1, 'delivered', 'standard', :placed,"
             " :placed, '14 Mill Lane', 'Leeds', 'LS6 2QT', 'GB', 4999)")
    rows(url, order, id=1, number="HG-100001", placed=PLACED)
    rows(url, order, id=2, number="HG-100002", placed=PLACED)
    returned = ("INSERT INTO returns (id, rma, order_id, reason, status, refund_pence, created_at)"
                " VALUES (:id, :rma, :order_id, 'Wrong size', 'requested', 4999, :registered)")
    rows(url, returned, id=1, rma="RMA-111111", order_id=1, registered=REGISTERED)
    rows(url, returned, id=2, rma="RMA-222222", order_id=1, registered=REGISTERED)
    rows(url, returned, id=3, rma="RMA-333333", order_id=2, registered=REGISTERED)
    mail = ("INSERT INTO email_outbox (id, to_address, template, subject, body, created_at)"
            " VALUES (:id, 'ben@example.com', :template, 'Your returns label', :body, :at)")
    rows(url, mail, id=10, template="returns_label", body="order=HG-100001 rma=RMA-111111",
         at=REGISTERED)
    rows(url, mail, id=11, template="returns_label", body="order=HG-100001 rma=RMA-222222",
         at=REGISTERED)
    rows(url, mail, id=12, template="returns_label", body="order=HG-100001 rma=RMA-111111",
         at=REGISTERED + timedelta(hours=1))
    # another mail naming the third return is not its label
    rows(url, mail, id=13, template="invoice_copy", body="order=HG-100002 rma=RMA-333333",
         at=REGISTERED)


def test_returns_are_linked_to_their_own_label_mail(database: str) -> None:
    config = alembic_config(database)
    command.upgrade(config, "0015")
    seed_before_label_links(database)

    upgrade(database)

    assert rows(database, "SELECT rma, label_email_id FROM returns ORDER BY rma") == [
        {"rma": "RMA-111111", "label_email_id": 12}, {"rma": "RMA-222222", "label_email_id": 11},
        {"rma": "RMA-333333", "label_email_id": None}]

    command.downgrade(config, "0015")
    assert [r["rma"] for r in rows(database, "SELECT rma FROM returns ORDER BY rma")] == [
        "RMA-111111", "RMA-222222", "RMA-333333"]
    assert "label_email_id" not in rows(database, "SELECT * FROM returns WHERE id = 1")[0]
