"""The returns desk records a returned parcel's arrival and then its refund, the facts the
assistant's refund answer reads: the due day counts from the arrival, and a refund recorded
paid is answered as paid on its day."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from company import orders, policies
from company.models import Order, OrderStatus, ReturnStatus
from company.returns_desk import (
    AWAITING_PARCEL,
    AWAITING_REFUND,
    REFUNDED,
    BadMoment,
    ReturnsDeskError,
    UnknownReturn,
    awaiting_parcel,
    awaiting_refund,
    desk_entry,
    moment,
    record_received,
    record_refunded,
)


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
    record_received(session, request.rma.lower(), arrived, by="sam")  # the reference as typed
    refund = policies.refund_of(order)
    assert not refund.awaiting_parcel and refund.due == policies.refund_due(arrived)
    record_received(session, request.rma, arrived + timedelta(days=1), by="jo")  # again: the first stays
    assert (request.received_at, request.received_by) == (arrived, "sam")
    record_refunded(session, request.rma, arrived + timedelta(days=4), by="sam")
    refund = policies.refund_of(order)
    assert refund.paid and refund.paid_at == arrived + timedelta(days=4)
    assert request.status == ReturnStatus.REFUNDED and request.refunded_by == "sam"


def test_out_of_order_or_unknown_is_refused_and_changes_nothing(session, now):
    order, request = registered_return(session, now)
    with pytest.raises(UnknownReturn, match="no return"):
        record_received(session, "RMA-000000", now, by="sam")
    with pytest.raises(ReturnsDeskError, match="not been recorded as received"):
        record_refunded(session, request.rma, now, by="sam")
    with pytest.raises(ReturnsDeskError, match="cannot have arrived before"):
        record_received(session, request.rma, request.created_at - timedelta(hours=1), by="sam")
    record_received(session, request.rma, now + timedelta(days=1), by="sam")
    with pytest.raises(ReturnsDeskError, match="cannot have been refunded before"):
        record_refunded(session, request.rma, now, by="sam")
    assert request.status == ReturnStatus.REQUESTED and request.refunded_at is None
    assert request.refunded_by is None


def rmas(entries):
    return [entry.rma for entry in entries]


def test_what_waits_for_the_desk_parcels_then_refunds(session, now):
    order, request = registered_return(session, now)
    parcels, total = awaiting_parcel(session, now, 50)
    assert request.rma in rmas(parcels) and total == len(parcels)
    assert request.rma not in rmas(awaiting_refund(session, now, 50)[0])
    waiting = desk_entry(request, now)
    assert (waiting.stage, waiting.order_number, waiting.reason, waiting.refund_due,
            waiting.overdue) == (AWAITING_PARCEL, order.number, "too small", None, False)
    assert waiting.products == tuple(item.product.name for item in order.items)

    arrived = now + timedelta(days=1)
    record_received(session, request.rma, arrived, by="sam")
    assert request.rma not in rmas(awaiting_parcel(session, now, 50)[0])
    refunds, total = awaiting_refund(session, arrived, 50)
    assert rmas(refunds) == [request.rma] and total == 1
    assert (refunds[0].stage, refunds[0].refund_due, refunds[0].overdue) == (
        AWAITING_REFUND, policies.refund_due(arrived), False)
    late = datetime.combine(policies.refund_due(arrived) + timedelta(days=1), datetime.min.time())
    assert awaiting_refund(session, late, 50)[0][0].overdue  # its due day has passed

    record_refunded(session, request.rma, arrived + timedelta(days=2), by="sam")
    assert request.rma not in rmas(awaiting_parcel(session, late, 50)[0])
    assert awaiting_refund(session, late, 50) == ([], 0)
    paid = desk_entry(request, late)
    assert (paid.stage, paid.overdue) == (REFUNDED, False)


def test_the_lists_are_capped_newest_parcel_and_first_due_refund_first(session, now):
    _, first = registered_return(session, now - timedelta(days=3))
    other = session.execute(select(Order).where(Order.status == OrderStatus.DELIVERED,
                                                ~Order.returns.any())
                            .order_by(Order.number)).scalars().first()
    other.shipment.delivered_at = now - timedelta(days=2)
    second = orders.start_return(session, other, "wrong colour", now - timedelta(days=1))
    parcels, total = awaiting_parcel(session, now, 1)
    assert rmas(parcels) == [second.rma] and total >= 2
    record_received(session, second.rma, now - timedelta(hours=2), by="sam")
    record_received(session, first.rma, now - timedelta(hours=1), by="sam")
    refunds, total = awaiting_refund(session, now, 1)
    assert rmas(refunds) == [second.rma] and total == 2


def test_when_the_desk_records_something(now):
    assert moment(None, now) == moment("", now) == now
    assert moment("2026-12-04T10:30", now.replace(year=2027)) == datetime(2026, 12, 4, 10, 30)
    assert moment("2026-12-04T10:30+01:00", now.replace(year=2027)) == datetime(2026, 12, 4, 9, 30)
    assert moment("2026-12-04 10:30:15Z", now.replace(year=2027)) == datetime(2026, 12, 4, 10, 30, 15)
    # a plain date is the end of that day, or now for today
    assert moment("2026-12-04", now.replace(year=2027)) == datetime(2026, 12, 4, 23, 59, 59)
    assert moment(now.date().isoformat(), now) == now
    for wrong in ("yesterday", "2026-02-30", " 2026-12-04", "2026-12-04T10", "20261204",
                  "2026-12-04x10:30", "0001-01-01T00:00+05:00"):
        with pytest.raises(BadMoment, match="no ISO date"):
            moment(wrong, now)
    with pytest.raises(BadMoment, match="in the future"):
        moment((now + timedelta(days=1)).date().isoformat(), now)
    with pytest.raises(BadMoment, match="in the future"):
        moment((now + timedelta(minutes=5)).isoformat(timespec="seconds"), now)
