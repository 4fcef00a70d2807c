"""Erasure requests: recorded once per customer, due one calendar month later, marketing
stopped and the account's address told at once; open orders and an active plan reported."""

from datetime import datetime

import pytest
from sqlalchemy import select

from company import accounts, erasure, newsletter
from company.models import (
    Customer,
    ErasureRequest,
    ErasureStatus,
    Order,
    OrderStatus,
    OutboundEmail,
    ReturnRequest,
    ReturnStatus,
    Subscription,
)


@pytest.mark.parametrize("requested, due", [
    (datetime(2026, 11, 30, 17, 5), datetime(2026, 12, 30, 17, 5)),
    (datetime(2026, 12, 15, 9, 0), datetime(2027, 1, 15, 9, 0)),
    (datetime(2027, 1, 31, 12, 0), datetime(2027, 2, 28, 12, 0)),  # no 31 February
    (datetime(2028, 1, 30, 12, 0), datetime(2028, 2, 29, 12, 0)),  # a leap year
    (datetime(2027, 3, 31, 8, 0), datetime(2027, 4, 30, 8, 0)),
])
def test_due_one_calendar_month_later(requested, due):
    assert erasure.one_month_after(requested) == due


def test_a_request_is_recorded_once_with_what_follows(session, now):
    alice = accounts.find_customer_by_email(session, "alice.morgan@example.com")
    newsletter.subscribe(session, alice, now)
    outcome = erasure.request_erasure(session, alice, now, "c0ffee", "web")
    assert outcome.created
    request = session.execute(select(ErasureRequest)).scalar_one()
    assert (request.customer_id, request.email, request.conversation_id, request.channel) == (
        alice.id, "alice.morgan@example.com", "c0ffee", "web")
    assert request.status == ErasureStatus.PENDING and request.requested_at == now
    assert request.due_by == erasure.one_month_after(now)
    assert erasure.reference(request) == f"ER-{request.id:06d}"
    assert not newsletter.is_subscribed(session, alice.email)  # marketing stops at once
    notice = session.execute(select(OutboundEmail)).scalar_one()
    assert notice.to_address == alice.email and notice.template == "erasure_requested"
    assert erasure.reference(request) in notice.body

    expected_open = sorted(session.execute(
        select(Order.number).where(Order.customer_id == alice.id,
                                   Order.status.in_(erasure.OPEN_ORDER_STATUSES))).scalars())
    assert "HG-100002" in outcome.open_orders and outcome.open_orders == expected_open

    again = erasure.request_erasure(session, alice, now, "another", "telegram")
    assert not again.created and again.request.id == request.id
    assert session.execute(select(ErasureRequest)).scalars().all() == [request]
    assert len(session.execute(select(OutboundEmail)).scalars().all()) == 1


def test_only_open_orders_and_an_active_plan_are_reported(session, now):
    ben = accounts.find_customer_by_email(session, "ben.okafor@example.com")
    for order in session.execute(select(Order).where(Order.customer_id == ben.id)).scalars():
        order.status = OrderStatus.DELIVERED
    for subscription in session.execute(
            select(Subscription).where(Subscription.customer_id == ben.id)).scalars():
        subscription.status = "cancelled"
    session.commit()
    outcome = erasure.request_erasure(session, ben, now)
    assert outcome.open_orders == [] and outcome.active_plan is None

    plan_holder = session.execute(
        select(Customer).join(Subscription).where(Subscription.status == "active")
        .limit(1)).scalar_one()
    assert erasure.request_erasure(session, plan_holder, now).active_plan


def test_an_order_owing_a_refund_is_finished_first(session, now):
    """A delivered order whose return is not refunded yet: the customer is promised 'we'll
    finish it, refunds included', but it was not listed for them nor for the staff."""
    ben = accounts.find_customer_by_email(session, "ben.okafor@example.com")
    orders = session.execute(select(Order).where(Order.customer_id == ben.id)
                             .order_by(Order.number)).scalars().all()
    for order in orders:
        order.status = OrderStatus.DELIVERED
        order.returns.clear()
    owing = orders[0]
    owing.returns.append(ReturnRequest(rma="RMA-ERASE1", reason="too small", created_at=now,
                                       refund_pence=owing.total_pence,
                                       status=ReturnStatus.REQUESTED))
    session.commit()
    assert erasure.request_erasure(session, ben, now).open_orders == [owing.number]
    owing.returns[0].status, owing.returns[0].refunded_at = ReturnStatus.REFUNDED, now
    session.commit()
    assert erasure._open_orders(session, ben) == []


def test_the_ticket_is_linked_once(session, now):
    ben = accounts.find_customer_by_email(session, "ben.okafor@example.com")
    erasure.request_erasure(session, ben, now)
    request = session.execute(select(ErasureRequest)).scalar_one()
    erasure.link_ticket(session, request.id, 42)
    erasure.link_ticket(session, request.id, 43)  # the first ticket stays
    session.refresh(request)
    assert request.ticket_id == 42


def test_the_record_outlives_the_erased_customer_row(session, now):
    newcomer = Customer(name="Nia Example", email="nia@example.com", address_line="1 Quay St",
                        city="Bristol", postcode="BS1 4DJ", created_at=now)
    session.add(newcomer)
    session.commit()
    newsletter.subscribe(session, newcomer, now)
    erasure.request_erasure(session, newcomer, now)
    session.delete(newcomer)  # what the person completing the request eventually does
    session.commit()
    request = session.execute(select(ErasureRequest)).scalar_one()
    session.refresh(request)
    assert request.customer_id is None and request.email == "nia@example.com"
