"""Harbor Goods' rules for what a customer may do with an order or an account, decided in
one place.

Every decision returns a reason code; the assistant turns the code into an explanation, so
the rule and its wording cannot drift apart.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Optional, Tuple

from company.models import (Customer, InvoiceStatus, Order, OrderStatus, ReturnRequest,
                            ReturnStatus)
from ground.bank_holidays import bank_holidays

RETURN_WINDOW_DAYS = 30
# the country the shop sends from; returns from every other country it delivers to are free too,
# with a prepaid label for the local post
HOME_COUNTRY = "GB"
# A refund reaches the customer's original payment method within these working days.
REFUND_MIN_WORKING_DAYS = 5
REFUND_MAX_WORKING_DAYS = 10
REFUND_WORKING_DAYS = f"{REFUND_MIN_WORKING_DAYS}–{REFUND_MAX_WORKING_DAYS}"
# A late parcel usually arrives within these working days of its due day; after that the
# team chases the courier (or sends a replacement).
LATE_PARCEL_WORKING_DAYS = 2
# A refund paid is on the customer's statement within these working days (the bank's part).
BANK_WORKING_DAYS = 10
# What the customer pays for each change when it is allowed (UK returns are free too).
CANCELLATION_FEE_PENCE = 0
ADDRESS_CHANGE_FEE_PENCE = 0
RETURN_FEE_PENCE = 0
# Klarna's three payments are offered at checkout on orders over this (the help centre's
# "Paying for your order" and the payment answers say so in words).
KLARNA_MINIMUM_PENCE = 3000
KLARNA_INSTALMENTS = 3
# The stages of an order on its way to the customer, then every stage it can end in.
ON_THE_WAY = (OrderStatus.PLACED, OrderStatus.PROCESSING, OrderStatus.SHIPPED,
              OrderStatus.DELIVERED)
ORDER_STAGES = ON_THE_WAY + (OrderStatus.CANCELLED, OrderStatus.RETURNED)
# Before the warehouse hands a parcel to the carrier, its label (address) can still change.
_BEFORE_SHIPPING = frozenset({OrderStatus.PLACED, OrderStatus.PROCESSING})


class Change:
    """What a customer may ask to do with an order."""

    CANCEL = "cancel"
    ADDRESS = "address"
    # The items of a placed order are never changed (the warehouse picks what was paid
    # for): while an order can be cancelled, the customer cancels it and orders again;
    # once it is delivered, they return what they don't want.
    ITEMS = "items"
    RETURN = "return"

    ALL = (CANCEL, ADDRESS, ITEMS, RETURN)


# In which stages each change is allowed, and what it costs then.
_ALLOWED_STAGES = {
    Change.CANCEL: _BEFORE_SHIPPING,
    Change.ADDRESS: _BEFORE_SHIPPING,
    Change.ITEMS: frozenset(),
    Change.RETURN: frozenset({OrderStatus.DELIVERED}),  # within RETURN_WINDOW_DAYS
}
_FEES_PENCE = {
    Change.CANCEL: CANCELLATION_FEE_PENCE,
    Change.ADDRESS: ADDRESS_CHANGE_FEE_PENCE,
    Change.ITEMS: 0,
    Change.RETURN: RETURN_FEE_PENCE,
}
# A change allowed only for some days after delivery.
_WINDOW_DAYS = {Change.RETURN: RETURN_WINDOW_DAYS}


@dataclass(frozen=True)
class ChangeTerms:
    """Whether one change is allowed in one stage, at what cost and, if it has one, within
    how many days of delivery."""

    change: str
    allowed: bool
    fee_pence: int
    window_days: Optional[int] = None


def change_terms(change: str, status: str) -> ChangeTerms:
    """The terms of `change` for an order in `status`: the one table every decision below
    and every explanation of the rules read."""
    allowed = status in _ALLOWED_STAGES[change]
    return ChangeTerms(change, allowed, _FEES_PENCE[change] if allowed else 0,
                       _WINDOW_DAYS.get(change) if allowed else None)


def stage_terms(status: str) -> Tuple[ChangeTerms, ...]:
    """What an order in `status` allows: the terms of every change, in Change.ALL order."""
    return tuple(change_terms(change, status) for change in Change.ALL)


def stages_allowing(change: str) -> Tuple[str, ...]:
    """The stages in which `change` is allowed, in the order an order lives through them."""
    return tuple(status for status in ORDER_STAGES if change_terms(change, status).allowed)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str


ALLOWED = Decision(True, "allowed")


def _by_stage(change: str, order: Order) -> Decision:
    return ALLOWED if change_terms(change, order.status).allowed else Decision(False, order.status)


def address_change_decision(order: Order) -> Decision:
    return _by_stage(Change.ADDRESS, order)


def cancellation_decision(order: Order) -> Decision:
    return _by_stage(Change.CANCEL, order)


def item_change_decision(order: Order) -> Decision:
    """Never allowed once an order is placed (see Change.ITEMS)."""
    return _by_stage(Change.ITEMS, order)


def return_decision(order: Order, now: datetime) -> Decision:
    if order.status == OrderStatus.RETURNED or any(order.returns):
        return Decision(False, "already_returned")
    stage = _by_stage(Change.RETURN, order)
    if not stage.allowed:
        return stage
    delivered_at = order.shipment.delivered_at if order.shipment else None
    if delivered_at is None or now - delivered_at > timedelta(days=RETURN_WINDOW_DAYS):
        return Decision(False, "window_closed")
    return ALLOWED


def return_deadline(order: Order) -> datetime | None:
    """The last moment a delivered order can be returned."""
    if order.shipment is None or order.shipment.delivered_at is None:
        return None
    return order.shipment.delivered_at + timedelta(days=RETURN_WINDOW_DAYS)


# --- warranty -----------------------------------------------------------------------------
# Past the return window a fault is a warranty claim: each product's warranty runs from the
# day its order was delivered, and Harbor Club Plus and Premium members get these months more.
MEMBER_EXTRA_WARRANTY_MONTHS = 12
EXTRA_WARRANTY_PLANS = frozenset({"plus", "premium"})
# the plan statuses of a membership that is running (a trial is one)
LIVE_PLAN_STATUSES = ("active", "trialing")


@dataclass(frozen=True)
class Cover:
    """One product's warranty on a delivered order: the last day it covers a fault (the
    same date the warranty's months after delivery, or that month's last day)."""

    product: str
    last_day: date

    def covers(self, today: date) -> bool:
        return today <= self.last_day


def add_months(start: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it has fewer days."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def extra_warranty_months(customer: Customer) -> int:
    """The months a live Plus or Premium membership adds to every warranty: a member when
    the question is asked gets them on every order, as the plans promise "an extra year of
    warranty"; a membership that has ended adds nothing."""
    member = any(s.status in LIVE_PLAN_STATUSES and s.plan.code in EXTRA_WARRANTY_PLANS
                 for s in customer.subscriptions)
    return MEMBER_EXTRA_WARRANTY_MONTHS if member else 0


def warranty_cover(order: Order) -> Tuple[Cover, ...]:
    """Each product of a delivered order with its warranty's last day; nothing for an order
    never delivered or already returned, which no warranty claim can be about."""
    delivered_at = order.shipment.delivered_at if order.shipment else None
    if order.status != OrderStatus.DELIVERED or delivered_at is None:
        return ()
    extra = extra_warranty_months(order.customer)
    return tuple(
        Cover(item.product.name, add_months(delivered_at.date(), item.product.warranty_months + extra))
        for item in order.items)


# --- accounts ------------------------------------------------------------------------------
# Ordering needs an account: every order belongs to one (its history, returns, invoices and
# the identity checks hang on it), so there is no guest checkout. Signing up is on the
# website or in the app; the assistant explains it and never asks for a password.
SIGN_UP_URL = "harbor-goods.example/account/register"
PASSWORD_MIN_LENGTH = 10
# account holders must be adults, who can enter a contract of sale on their own; younger
# customers shop through a parent's or guardian's account
MIN_ACCOUNT_AGE = 18
# the link in the "confirm your email address" mail sent after signing up
CONFIRMATION_LINK_HOURS = 24
# invoices and order records are kept this many years (UK tax law), also after the account
# they belong to is closed and the rest of its personal data erased
FINANCIAL_RECORDS_YEARS = 6


def parcel_well_overdue(order: Order, today: date) -> bool:
    """A shipped parcel more than LATE_PARCEL_WORKING_DAYS past its due day: the team owes
    the customer a chase, a replacement or a refund."""
    shipment = order.shipment
    return (order.status == OrderStatus.SHIPPED and shipment is not None
            and add_working_days(shipment.estimated_delivery, LATE_PARCEL_WORKING_DAYS) < today)


def add_working_days(start: date, days: int) -> date:
    """The day `days` working days (Monday to Friday, not a bank holiday of England and
    Wales) after `start`: a refund due "within 10 working days" over Christmas is due later."""
    day = start
    while days > 0:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in bank_holidays(day.year):
            days -= 1
    return day


@dataclass(frozen=True)
class Refund:
    """A refund owed on an order: how much, since when, by which day it must have reached
    the customer, and whether (and when, if the company recorded it) it has been paid.

    A return's refund has no due day until its parcel has reached us: the working days
    count from the arrival, so before it nothing is late."""

    amount_pence: int
    started: datetime  # the return's registration, or the order's cancellation
    due: Optional[date]  # None for a return whose parcel has not reached us (or no day kept)
    paid: bool
    rma: Optional[str] = None  # the return it refunds; None for a cancelled order
    paid_at: Optional[datetime] = None  # when it was paid; None if unpaid or not recorded
    received_at: Optional[datetime] = None  # when the return's parcel reached us

    @property
    def awaiting_parcel(self) -> bool:
        """A return's unpaid refund whose parcel has not reached us: nothing is owed yet."""
        return self.rma is not None and not self.paid and self.received_at is None

    def should_show(self, now: datetime) -> bool:
        """Paid long enough ago (BANK_WORKING_DAYS) that any bank shows it by now: "if you
        can't see it yet, it's on its way" no longer holds."""
        return (self.paid_at is not None
                and now.date() > add_working_days(self.paid_at.date(), BANK_WORKING_DAYS))

    def overdue(self, now: datetime) -> bool:
        """Not paid and past its due day: the customer waited longer than we promise. A
        refund without a due day (its parcel not arrived) never is."""
        return not self.paid and self.due is not None and now.date() > self.due


def refund_due(started: datetime) -> date:
    """The last day a refund started at `started` may take: REFUND_MAX_WORKING_DAYS working
    days later."""
    return add_working_days(started.date(), REFUND_MAX_WORKING_DAYS)


def latest_return(order: Order) -> Optional[ReturnRequest]:
    """The order's most recently registered return, if it has one."""
    return max(order.returns, key=lambda request: request.created_at, default=None)


def refund_of(order: Order) -> Optional[Refund]:
    """The refund this order owes or owed, or None when there is none.

    A return's refund is counted from the day its parcel reached us (`received_at`), as the
    return policy promises; until then it has no due day and cannot be late, however long
    ago the return was registered. A cancelled order's is counted from its cancellation,
    for what was paid. Either is paid when the company recorded it paid: the return, or the
    cancelled order's invoice, is "refunded" (with the day, where it was kept). Only an
    unpaid one can become overdue.
    """
    latest = latest_return(order)
    if latest is not None:
        paid = latest.status == ReturnStatus.REFUNDED
        received = latest.received_at
        return Refund(latest.refund_pence, latest.created_at,
                      refund_due(received) if received is not None else None, paid,
                      latest.rma, latest.refunded_at if paid else None, received)
    if order.status == OrderStatus.CANCELLED and order.cancelled_at is not None:
        invoice = order.invoice
        amount = invoice.amount_pence if invoice is not None else order.total_pence
        refunded = (invoice if invoice is not None and invoice.status == InvoiceStatus.REFUNDED
                    else None)
        return Refund(amount, order.cancelled_at, refund_due(order.cancelled_at),
                      refunded is not None, paid_at=refunded.refunded_at if refunded else None)
    return None


def klarna_instalments(pence: int) -> Tuple[int, ...]:
    """The payments Klarna splits an amount into, first to last: equal, the pennies that do
    not divide paid with the first."""
    later = pence // KLARNA_INSTALMENTS
    return (pence - later * (KLARNA_INSTALMENTS - 1),) + (later,) * (KLARNA_INSTALMENTS - 1)
