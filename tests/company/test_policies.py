from datetime import timedelta

from sqlalchemy import select

from company import policies
from company.models import Order, OrderStatus


def _order(session, number):
    return session.execute(select(Order).where(Order.number == number)).scalar_one()


def test_address_and_cancellation_only_before_shipping(session):
    for number, allowed in [("HG-100001", True), ("HG-100005", True), ("HG-100002", False),
                            ("HG-100003", False)]:
        order = _order(session, number)
        assert policies.address_change_decision(order).allowed is allowed
        assert policies.cancellation_decision(order).allowed is allowed
    assert policies.cancellation_decision(_order(session, "HG-100002")).reason == OrderStatus.SHIPPED


def test_returns_within_the_window_after_delivery(session, now):
    assert policies.return_decision(_order(session, "HG-100003"), now).allowed
    closed = policies.return_decision(_order(session, "HG-100004"), now)
    assert (closed.allowed, closed.reason) == (False, "window_closed")
    not_yet = policies.return_decision(_order(session, "HG-100002"), now)
    assert (not_yet.allowed, not_yet.reason) == (False, OrderStatus.SHIPPED)


def test_return_window_edge(session, now):
    order = _order(session, "HG-100003")
    order.shipment.delivered_at = now - timedelta(days=policies.RETURN_WINDOW_DAYS) + timedelta(minutes=1)
    assert policies.return_decision(order, now).allowed
    order.shipment.delivered_at = now - timedelta(days=policies.RETURN_WINDOW_DAYS, minutes=1)
    assert not policies.return_decision(order, now).allowed
