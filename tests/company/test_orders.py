import pytest
from sqlalchemy import select

from company import orders, policies
from company.addresses import parse_address
from company.models import AddressChange, OrderStatus, OutboundEmail, ReturnRequest


def test_find_order_accepts_customer_spellings_and_nothing_else(session):
    assert orders.find_order(session, "hg100001").number == "HG-100001"
    assert orders.find_order(session, "HG-999999") is None
    assert orders.find_order(session, "' OR 1=1 --") is None


def test_owner_is_matched_by_email_or_delivery_postcode(session):
    order = orders.find_order(session, "HG-100001")
    assert orders.matches_order_owner(order, "ALICE.MORGAN@example.com")
    assert orders.matches_order_owner(order, "ls6 2qt")
    assert not orders.matches_order_owner(order, "ben.okafor@example.com")
    assert not orders.matches_order_owner(order, "M3 4LQ")
    assert not orders.matches_order_owner(order, "")
    assert not orders.matches_order_owner(order, None)


def test_address_change_is_stored_audited_and_confirmed_by_email(session, now):
    order = orders.find_order(session, "HG-100001")
    orders.change_delivery_address(session, order, parse_address("5 Quay Street, Bristol BS1 4DJ"), now)
    session.expire_all()
    order = orders.find_order(session, "HG-100001")
    assert (order.ship_address_line, order.ship_city, order.ship_postcode) == ("5 Quay Street", "Bristol", "BS1 4DJ")
    change = session.execute(select(AddressChange)).scalar_one()
    assert change.old_address == "14 Mill Lane, Leeds LS6 2QT"
    mail = session.execute(select(OutboundEmail).where(OutboundEmail.template == "address_changed")).scalar_one()
    assert mail.to_address == "alice.morgan@example.com"


def test_address_change_refused_after_shipping_changes_nothing(session, now):
    order = orders.find_order(session, "HG-100002")
    with pytest.raises(orders.NotAllowed) as refused:
        orders.change_delivery_address(session, order, parse_address("5 Quay Street, Bristol BS1 4DJ"), now)
    assert refused.value.reason == OrderStatus.SHIPPED
    session.expire_all()
    assert orders.find_order(session, "HG-100002").ship_postcode == "LS6 2QT"
    assert session.execute(select(AddressChange)).first() is None


def test_cancel_marks_order_and_invoice(session, now):
    order = orders.find_order(session, "HG-100005")
    orders.cancel_order(session, order, now)
    session.expire_all()
    order = orders.find_order(session, "HG-100005")
    assert order.status == OrderStatus.CANCELLED and order.cancelled_at == now
    # what was paid went back with the cancellation, and the day it did is kept
    assert order.invoice.status == "refunded" and order.invoice.refunded_at == now
    assert policies.refund_of(order).paid_at == now
    with pytest.raises(orders.NotAllowed):
        orders.cancel_order(session, order, now)


def test_return_creates_one_rma_and_a_label(session, now):
    order = orders.find_order(session, "HG-100003")
    request = orders.start_return(session, order, "It arrived damaged", now)
    assert request.rma.startswith("RMA-") and request.refund_pence == order.total_pence
    label = session.execute(select(OutboundEmail).where(OutboundEmail.template == "returns_label")).scalar_one()
    assert request.label_email_id == label.id and request.rma in label.subject
    with pytest.raises(orders.NotAllowed) as again:
        orders.start_return(session, order, "again", now)
    assert again.value.reason == "already_returned"
    assert len(session.execute(select(ReturnRequest)).scalars().all()) == 1


def test_invoice_copy_is_queued_to_the_customer(session, now):
    order = orders.find_order(session, "HG-100003")
    mail = orders.queue_invoice_email(session, order, now)
    assert mail.to_address == "ben.okafor@example.com" and order.invoice.number in mail.subject
