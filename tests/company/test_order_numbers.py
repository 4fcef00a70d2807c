"""A customer's order numbers sent to the account's own address (company/order_numbers.py)."""

from datetime import timedelta

from sqlalchemy import select

from company.accounts import find_customer_by_email
from company.models import Order, OutboundEmail
from company.order_numbers import LISTS_PER_DAY, TEMPLATE, email_order_numbers
from ground.clock import utcnow


def _lists(session, address: str) -> list:
    return session.execute(select(OutboundEmail).where(
        OutboundEmail.to_address == address, OutboundEmail.template == TEMPLATE)).scalars().all()


def test_the_latest_orders_go_to_the_account_address_only(database_url, session):
    now = utcnow()
    assert email_order_numbers(session, "  Ben.Okafor@Example.com ", now) is True
    [mail] = _lists(session, "ben.okafor@example.com")
    lines = mail.body.splitlines()[1:]
    ben = find_customer_by_email(session, "ben.okafor@example.com")
    newest_first = session.execute(select(Order.number).where(Order.customer_id == ben.id)
                                   .order_by(Order.placed_at.desc())).scalars().all()
    assert [line.split(",")[0] for line in lines] == newest_first and {"HG-100003", "HG-100004"} <= set(newest_first)
    assert "HG-100001" not in mail.body and "ordered" in lines[0]
    # no account, or no address at all: nothing queued
    assert email_order_numbers(session, "nobody.here@example.com", now) is False
    assert email_order_numbers(session, "not an email", now) is False
    assert _lists(session, "nobody.here@example.com") == []


def test_a_few_lists_a_day_at_most(database_url, session):
    now = utcnow()
    results = [email_order_numbers(session, "alice.morgan@example.com", now) for _ in range(LISTS_PER_DAY + 2)]
    assert results == [True] * LISTS_PER_DAY + [False, False]
    assert len(_lists(session, "alice.morgan@example.com")) == LISTS_PER_DAY
    # a day later, one more
    assert email_order_numbers(session, "alice.morgan@example.com", now + timedelta(days=1, minutes=1)) is True
