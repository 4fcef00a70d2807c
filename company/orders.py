"""Looks up and changes orders on a customer's behalf; the rules live in company.policies."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import List, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from company import policies
from company.addresses import Address
from company.delivery_areas import delivered_to
from company.identifiers import normalise_email, normalise_order_number, normalise_postcode
from company.models import (AddressChange, InvoiceStatus, Order, OrderStatus, OutboundEmail,
                            ReturnRequest)
from company.outbox import queue_email


# the reason given when the new address is one the shop does not deliver to
NOT_DELIVERED = "not_delivered"


class NotAllowed(Exception):
    """The order's state does not permit the change; `reason` is the policy's code."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def find_order(session: Session, text: Optional[str]) -> Optional[Order]:
    """The order a customer's text names, or None (also for text that is no order number)."""
    number = normalise_order_number(text)
    if number is None:
        return None
    return session.execute(select(Order).where(Order.number == number)).scalar_one_or_none()


def matches_order_owner(order: Order, claim: Optional[str]) -> bool:
    """True when `claim` is the email or the delivery postcode on the order."""
    if not claim:
        return False
    email = normalise_email(claim)
    if email is not None:
        return secrets.compare_digest(email, order.customer.email.lower())
    postcode = normalise_postcode(claim)
    if postcode is not None:
        return secrets.compare_digest(postcode, order.ship_postcode.upper())
    return False


def change_delivery_address(
    session: Session, order: Order, address: Address, now: datetime
) -> AddressChange:
    decision = policies.address_change_decision(order)
    if not decision.allowed:
        raise NotAllowed(decision.reason)
    if not delivered_to(address):
        raise NotAllowed(NOT_DELIVERED)
    change = AddressChange(
        order_id=order.id,
        old_address=f"{order.ship_address_line}, {order.ship_city} {order.ship_postcode}",
        new_address=address.one_line(),
        changed_at=now,
    )
    order.ship_address_line = address.line
    order.ship_city = address.city
    order.ship_postcode = address.postcode
    order.updated_at = now
    session.add(change)
    queue_email(session, order.customer.email, "address_changed",
                 f"New delivery address for order {order.number}",
                 f"order={order.number} address={change.new_address}", now)
    session.commit()
    return change


def cancel_order(session: Session, order: Order, now: datetime) -> None:
    decision = policies.cancellation_decision(order)
    if not decision.allowed:
        raise NotAllowed(decision.reason)
    order.status = OrderStatus.CANCELLED
    order.cancelled_at = now
    order.updated_at = now
    if order.invoice is not None:  # what was paid goes back at once
        order.invoice.status = InvoiceStatus.REFUNDED
        order.invoice.refunded_at = now
    session.commit()


RETURNS_LABEL_TEMPLATE = "returns_label"


def _returns_label_body(order_number: str, rma: str) -> str:
    """What the returns-label mail carries: the order and the return it is for."""
    return f"order={order_number} rma={rma}"


def start_return(session: Session, order: Order, reason: str, now: datetime) -> ReturnRequest:
    decision = policies.return_decision(order, now)
    if not decision.allowed:
        raise NotAllowed(decision.reason)
    request = ReturnRequest(
        rma=_new_rma(session),
        order=order,
        reason=reason[:500],
        status="requested",
        refund_pence=order.total_pence,
        created_at=now,
    )
    session.add(request)
    order.updated_at = now
    request.label_email = queue_email(
        session, order.customer.email, RETURNS_LABEL_TEMPLATE, f"Your returns label {request.rma}",
        _returns_label_body(order.number, request.rma), now)
    session.commit()
    return request


def queue_invoice_email(session: Session, order: Order, now: datetime) -> OutboundEmail:
    """Queues a copy of the order's invoice to the email address on the order."""
    if order.invoice is None:
        raise NotAllowed("no_invoice")
    email = queue_email(session, order.customer.email, "invoice_copy",
                         f"Your Harbor Goods invoice {order.invoice.number}",
                         f"invoice={order.invoice.number} order={order.number}", now)
    session.commit()
    return email



def item_names(order: Order) -> List[str]:
    """The order's items as a mail names them: "2 x Nimbus Headphones", "Cove Bluetooth Speaker"."""
    return [f"{item.quantity} x {item.product.name}" if item.quantity > 1 else item.product.name
            for item in order.items]


def queue_gift_receipt_email(session: Session, order: Order, now: datetime) -> OutboundEmail:
    """Queues a gift receipt to the email address on the order: the order number and the
    items without their prices, for the recipient to return or exchange them
    (company/help_articles/gift-orders.md, "Prices and receipts")."""
    items = "\n".join(item_names(order))
    email = queue_email(session, order.customer.email, "gift_receipt", f"Gift receipt for order {order.number}",
                        f"Gift receipt, order {order.number}\n{items}\nThe recipient can return or exchange "
                        f"these within {policies.RETURN_WINDOW_DAYS} days of delivery with this receipt.", now)
    session.commit()
    return email


def _new_rma(session: Session) -> str:
    while True:
        rma = f"RMA-{secrets.randbelow(900000) + 100000}"
        taken = session.execute(select(ReturnRequest.id).where(ReturnRequest.rma == rma)).first()
        if taken is None:
            return rma
