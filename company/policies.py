"""Harbor Goods' rules for what a customer may do with an order or an account, decided in
one place.

Every decision returns a reason code; the assistant turns the code into an explanation, so
the rule and its wording cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from company.models import Order, OrderStatus

RETURN_WINDOW_DAYS = 30
REFUND_WORKING_DAYS = "5–10"
# Before the warehouse hands a parcel to the carrier, its label (address) can still change.
_BEFORE_SHIPPING = frozenset({OrderStatus.PLACED, OrderStatus.PROCESSING})


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str


ALLOWED = Decision(True, "allowed")


def address_change_decision(order: Order) -> Decision:
    if order.status in _BEFORE_SHIPPING:
        return ALLOWED
    return Decision(False, order.status)


def cancellation_decision(order: Order) -> Decision:
    if order.status in _BEFORE_SHIPPING:
        return ALLOWED
    return Decision(False, order.status)


def return_decision(order: Order, now: datetime) -> Decision:
    if order.status == OrderStatus.RETURNED or any(order.returns):
        return Decision(False, "already_returned")
    if order.status != OrderStatus.DELIVERED:
        return Decision(False, order.status)
    delivered_at = order.shipment.delivered_at if order.shipment else None
    if delivered_at is None or now - delivered_at > timedelta(days=RETURN_WINDOW_DAYS):
        return Decision(False, "window_closed")
    return ALLOWED


def return_deadline(order: Order) -> datetime | None:
    """The last moment a delivered order can be returned."""
    if order.shipment is None or order.shipment.delivered_at is None:
        return None
    return order.shipment.delivered_at + timedelta(days=RETURN_WINDOW_DAYS)


# --- accounts ------------------------------------------------------------------------------
# Ordering needs an account: every order belongs to one (its history, returns, invoices and
# the identity checks hang on it), so there is no guest checkout. Signing up is on the
# website or in the app; the assistant explains it and never asks for a password.
SIGN_UP_URL = "harbor-goods.example/account/register"
PASSWORD_MIN_LENGTH = 10
# the link in the "confirm your email address" mail sent after signing up
CONFIRMATION_LINK_HOURS = 24
# invoices and order records are kept this many years (UK tax law), also after the account
# they belong to is closed and the rest of its personal data erased
FINANCIAL_RECORDS_YEARS = 6
