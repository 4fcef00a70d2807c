"""The returns desk records a returned parcel's arrival and then its refund, the facts the
assistant's refund answer reads: the due day counts from the arrival, and a refund recorded
paid is answered as paid on its day."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from company import orders, policies
from company.models import Order, OrderStatus, ReturnStatus
from company.returns_desk import ReturnsDeskError, record_received, record_refunded


def registered_return(session, now):
    order = session.execute(select(Order).where(Order.status == OrderStatus.DELIVERED)
                            .order_by(Order.number)).scalars().first()
    order.returns.clear()
    order.shipment.delivered_at = now - timedelta(days=2)
    session.commit()
    return order, orders.start_return(session, order, "too small", now)


def test_arrival_then_refund_are_what_the_refund_answer_reads(session, now):
    order, request = registered_return(session, now)
    assert policies.refund_of(order).awaiting_parcel
    arrived = now + timedelta(days=3)
    record_received(session, request.rma.lower(), arrived)  # the reference as typed
    refund = policies.refund_of(order)
    assert not refund.awaiting_parcel and refund.due == policies.refund_due(arrived)
    record_received(session, request.rma, arrived + timedelta(days=1))  # again: the first stays
    assert request.received_at == arrived
    record_refunded(session, request.rma, arrived + timedelta(days=4))
    refund = policies.refund_of(order)
    assert refund.paid and refund.paid_at == arrived + timedelta(days=4)
    assert request.status == ReturnStatus.REFUNDED


def test_out_of_order_or_unknown_is_refused_and_changes_nothing(session, now):
    order, request = registered_return(session, now)
    with pytest.raises(ReturnsDeskError, match="no return"):
        record_received(session, "RMA-000000", now)
    with pytest.raises(ReturnsDeskError, match="not been recorded as received"):
        record_refunded(session, request.rma, now)
    with pytest.raises(ReturnsDeskError, match="cannot have arrived before"):
        record_received(session, request.rma, request.created_at - timedelta(hours=1))
    record_received(session, request.rma, now + timedelta(days=1))
    with pytest.raises(ReturnsDeskError, match="cannot have been refunded before"):
        record_refunded(session, request.rma, now)
    assert request.status == ReturnStatus.REQUESTED and request.refunded_at is None
