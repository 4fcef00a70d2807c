from datetime import date, datetime, timedelta

from sqlalchemy import select

from company import policies
from company.models import InvoiceStatus, Order, OrderStatus, ReturnRequest, ReturnStatus
from company.policies import Change


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


# what each stage of an order allows, and at what cost: the one table (policies.change_terms)
EXPECTED_TERMS = {
    # status: {change: (allowed, window days)}
    OrderStatus.PLACED: {Change.CANCEL: (True, None), Change.ADDRESS: (True, None),
                         Change.ITEMS: (False, None), Change.RETURN: (False, None)},
    OrderStatus.PROCESSING: {Change.CANCEL: (True, None), Change.ADDRESS: (True, None),
                             Change.ITEMS: (False, None), Change.RETURN: (False, None)},
    OrderStatus.SHIPPED: {Change.CANCEL: (False, None), Change.ADDRESS: (False, None),
                          Change.ITEMS: (False, None), Change.RETURN: (False, None)},
    OrderStatus.DELIVERED: {Change.CANCEL: (False, None), Change.ADDRESS: (False, None),
                            Change.ITEMS: (False, None),
                            Change.RETURN: (True, policies.RETURN_WINDOW_DAYS)},
    OrderStatus.CANCELLED: {change: (False, None) for change in Change.ALL},
    OrderStatus.RETURNED: {change: (False, None) for change in Change.ALL},
}


def test_every_stage_says_what_it_allows_and_that_it_is_free():
    assert set(policies.ORDER_STAGES) == set(EXPECTED_TERMS)
    for status, expected in EXPECTED_TERMS.items():
        terms = policies.stage_terms(status)
        assert [t.change for t in terms] == list(Change.ALL)
        assert {t.change: (t.allowed, t.window_days) for t in terms} == expected, status
        assert all(t.fee_pence == 0 for t in terms), "cancelling, address changes and returns are free"
    assert policies.stages_allowing(Change.CANCEL) == (OrderStatus.PLACED, OrderStatus.PROCESSING)
    assert policies.stages_allowing(Change.ITEMS) == ()


def test_the_decisions_follow_the_table_in_every_stage(session, now):
    order = _order(session, "HG-100003")  # delivered 10 days ago, inside the return window
    for status in policies.ORDER_STAGES:
        order.status = status
        expected = EXPECTED_TERMS[status]
        assert policies.cancellation_decision(order).allowed is expected[Change.CANCEL][0], status
        assert policies.address_change_decision(order).allowed is expected[Change.ADDRESS][0], status
        assert policies.item_change_decision(order).allowed is False
        assert policies.return_decision(order, now).allowed is expected[Change.RETURN][0], status


def test_a_fee_in_the_table_is_what_the_terms_say(monkeypatch):
    monkeypatch.setitem(policies._FEES_PENCE, Change.CANCEL, 500)
    assert policies.change_terms(Change.CANCEL, OrderStatus.PLACED).fee_pence == 500
    # nothing is charged for a change that is not allowed
    assert policies.change_terms(Change.CANCEL, OrderStatus.SHIPPED).fee_pence == 0


def test_working_days_skip_the_weekend():
    friday = date(2026, 11, 27)
    assert policies.add_working_days(friday, 1) == date(2026, 11, 30)  # Monday
    assert policies.add_working_days(friday, 10) == date(2026, 12, 11)
    assert policies.add_working_days(date(2026, 11, 28), 1) == date(2026, 11, 30)  # from Saturday


def test_working_days_skip_the_bank_holidays():
    """A refund due within 10 working days of 18 December was due on New Year's Day, a bank
    holiday, and reported overdue on the 4th although the bank had three working days more."""
    assert policies.add_working_days(date(2026, 12, 18), 10) == date(2027, 1, 6)
    assert policies.add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 29)  # Christmas, Boxing Day on Monday
    assert policies.add_working_days(date(2027, 3, 25), 1) == date(2027, 3, 30)  # Good Friday, Easter Monday


def test_a_return_owes_its_refund_within_the_working_days_of_its_arrival(session, now):
    """The refund is promised within the working days once the parcel reaches us; it used
    to be counted from the return's registration, so a parcel never posted made it late."""
    order = _order(session, "HG-100003")
    assert policies.refund_of(order) is None  # nothing returned or cancelled
    registered = datetime(2026, 11, 20, 15, 0)
    session.add(ReturnRequest(rma="RMA-123456", order=order, reason="Wrong size", refund_pence=4999,
                              created_at=registered))
    session.flush()
    refund = policies.refund_of(order)
    assert (refund.amount_pence, refund.rma, refund.paid) == (4999, "RMA-123456", False)
    # the parcel has not reached us: no due day, and never late, however long ago it began
    assert not refund.overdue(datetime(2026, 12, 12, 0, 1))
    assert not refund.overdue(datetime(2027, 11, 20))
    assert (refund.started, refund.due, refund.received_at) == (registered, None, None)
    assert refund.awaiting_parcel
    received = datetime(2026, 11, 27, 15, 0)  # a Friday, a week after the registration
    order.returns[0].received_at = received
    refund = policies.refund_of(order)
    assert (refund.received_at, refund.awaiting_parcel) == (received, False)
    assert refund.due == policies.add_working_days(received.date(), policies.REFUND_MAX_WORKING_DAYS)
    assert refund.due == date(2026, 12, 11)
    assert not refund.overdue(datetime(2026, 12, 11, 23, 59))
    assert refund.overdue(datetime(2026, 12, 12, 0, 1))
    order.returns[0].status = ReturnStatus.REFUNDED
    refund = policies.refund_of(order)
    assert refund.paid and not refund.overdue(datetime(2027, 1, 1))


def test_a_cancelled_order_owes_what_was_paid(session):
    order = _order(session, "HG-100001")
    order.status, order.cancelled_at = OrderStatus.CANCELLED, datetime(2026, 11, 30, 9, 0)
    refund = policies.refund_of(order)
    assert refund.amount_pence == order.invoice.amount_pence and refund.rma is None
    assert refund.started == order.cancelled_at and refund.due == date(2026, 12, 14)


def test_a_cancellation_is_paid_once_its_invoice_is_recorded_refunded(session):
    """Every cancellation's refund used to stay unpaid, and so became "overdue" ten working
    days later, though the cancellation had refunded the invoice."""
    order = _order(session, "HG-100001")
    cancelled = datetime(2026, 11, 30, 9, 0)
    order.status, order.cancelled_at = OrderStatus.CANCELLED, cancelled
    # the invoice still says "paid": the money has not gone back, and is late after the due day
    refund = policies.refund_of(order)
    assert (refund.paid, refund.paid_at) == (False, None)
    assert refund.overdue(datetime(2026, 12, 15, 9, 0))
    order.invoice.status = InvoiceStatus.REFUNDED
    order.invoice.refunded_at = cancelled + timedelta(hours=1)
    refund = policies.refund_of(order)
    assert (refund.paid, refund.paid_at) == (True, cancelled + timedelta(hours=1))
    assert not refund.overdue(datetime(2027, 6, 1))
    # refunded before the day was kept: paid, on a day nobody knows
    order.invoice.refunded_at = None
    refund = policies.refund_of(order)
    assert (refund.paid, refund.paid_at) == (True, None) and not refund.overdue(datetime(2027, 6, 1))


def test_a_returns_refund_is_paid_on_the_day_recorded(session):
    order = _order(session, "HG-100003")
    registered, paid = datetime(2026, 11, 27, 15, 0), datetime(2026, 12, 2, 11, 0)
    session.add(ReturnRequest(rma="RMA-123456", order=order, reason="Wrong size", refund_pence=4999,
                              created_at=registered, refunded_at=paid,
                              status=ReturnStatus.REFUNDED))
    session.flush()
    refund = policies.refund_of(order)
    assert (refund.paid, refund.paid_at, refund.rma) == (True, paid, "RMA-123456")
    assert not refund.overdue(datetime(2027, 1, 1))
    # refunded with no arrival day kept (as before the day was): paid, not waiting for a parcel
    assert (refund.received_at, refund.due, refund.awaiting_parcel) == (None, None, False)


# --- warranty ------------------------------------------------------------------------------
def test_months_are_added_to_the_same_day_or_the_months_last():
    assert policies.add_months(date(2026, 10, 19), 24) == date(2028, 10, 19)
    assert policies.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert policies.add_months(date(2027, 12, 31), 2) == date(2028, 2, 29)
    assert policies.add_months(date(2026, 11, 30), 1) == date(2026, 12, 30)


def test_a_warranty_runs_from_delivery_for_each_product(session):
    order = _order(session, "HG-100004")
    delivered = order.shipment.delivered_at.date()
    order.customer.subscriptions.clear()
    covers = policies.warranty_cover(order)
    assert [c.product for c in covers] == [item.product.name for item in order.items]
    for cover, item in zip(covers, order.items):
        ends = policies.add_months(delivered, item.product.warranty_months)
        assert cover.last_day == ends
        assert cover.covers(ends) and not cover.covers(ends + timedelta(days=1))


def test_plus_and_premium_members_get_twelve_months_more(session):
    from company.models import Plan, Subscription

    order = _order(session, "HG-100004")
    order.customer.subscriptions.clear()
    plain = policies.warranty_cover(order)[0].last_day
    plans = {p.code: p for p in session.execute(select(Plan)).scalars()}
    membership = Subscription(plan=plans["plus"], status="active", started_at=datetime(2026, 1, 1))
    order.customer.subscriptions.append(membership)
    member = policies.warranty_cover(order)[0].last_day
    assert member == policies.add_months(plain, 12)
    membership.status = "cancelled"  # a membership that ended adds nothing
    assert policies.warranty_cover(order)[0].last_day == plain
    membership.status, membership.plan = "active", next(p for code, p in plans.items()
                                                        if code not in policies.EXTRA_WARRANTY_PLANS)
    assert policies.warranty_cover(order)[0].last_day == plain


def test_no_warranty_claim_on_an_order_not_delivered_or_returned(session):
    assert policies.warranty_cover(_order(session, "HG-100002")) == ()  # shipped
    returned = _order(session, "HG-100004")
    returned.status = OrderStatus.RETURNED
    assert policies.warranty_cover(returned) == ()
