"""Requests to close an account and erase its personal data (UK GDPR art. 17).

The assistant records a request once the customer has confirmed they want it and proved
the account is theirs (its email and postcode). A person then confirms it with the
customer and carries it out within one month of the request (art. 12(3)): `due_by`.
What happens meanwhile is decided here:

- one pending request per customer: asking again returns the one already recorded;
- marketing mail stops at once (the newsletter preference is withdrawn);
- a notice goes to the account's email address, so that the owner finds out if someone
  else asked;
- orders still open (placed, being packed or on their way, or owing a refund not yet
  paid) are finished first, refunds included, and invoices and order records are kept for the years tax law requires
  (policies.FINANCIAL_RECORDS_YEARS); the rest of the personal data is erased.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import List, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from company.models import (
    Customer,
    ErasureRequest,
    ErasureStatus,
    Order,
    OrderStatus,
    Subscription,
)
from company.newsletter import withdraw
from company.policies import LIVE_PLAN_STATUSES, add_months, refund_of
from company.outbox import queue_email

OPEN_ORDER_STATUSES = (OrderStatus.PLACED, OrderStatus.PROCESSING, OrderStatus.SHIPPED)


def one_month_after(moment: datetime) -> datetime:
    """The same day of the next month; the month's last day when it has no such day (a
    request of 31 January is due on 28 or 29 February), as the regulator counts it."""
    due = add_months(moment.date(), 1)
    return moment.replace(year=due.year, month=due.month, day=due.day)


def reference(request: ErasureRequest) -> str:
    """What the customer and staff call the request."""
    return f"ER-{request.id:06d}"


@dataclass(frozen=True)
class ErasureOutcome:
    request: ErasureRequest
    created: bool  # False: the customer's pending request from before
    open_orders: List[str]  # numbers of the orders finished before the account is closed
    active_plan: Optional[str]  # the Harbor Club plan that ends with the account


def pending_request(session: Session, customer_id: int) -> Optional[ErasureRequest]:
    return session.execute(
        select(ErasureRequest)
        .where(ErasureRequest.customer_id == customer_id,
               ErasureRequest.status == ErasureStatus.PENDING)
        .order_by(ErasureRequest.requested_at.desc()).limit(1)
    ).scalar_one_or_none()


def _open_orders(session: Session, customer: Customer) -> List[str]:
    """Orders to finish before the account closes: still on their way, or owing a refund
    not yet paid (a return's, or a cancelled order's)."""
    orders = session.execute(
        select(Order).where(Order.customer_id == customer.id).order_by(Order.number)
    ).scalars()
    return [order.number for order in orders
            if order.status in OPEN_ORDER_STATUSES or _refund_owed(order)]


def _refund_owed(order: Order) -> bool:
    refund = refund_of(order)
    return refund is not None and not refund.paid


def _active_plan(session: Session, customer: Customer) -> Optional[str]:
    subscription = session.execute(
        select(Subscription).where(Subscription.customer_id == customer.id,
                                   Subscription.status.in_(LIVE_PLAN_STATUSES))
        .order_by(Subscription.started_at.desc()).limit(1)
    ).scalar_one_or_none()
    return subscription.plan.name if subscription is not None else None


def request_erasure(session: Session, customer: Customer, now: datetime,
                    conversation_id: Optional[str] = None,
                    channel: Optional[str] = None) -> ErasureOutcome:
    """Records the verified customer's request (or finds their pending one) and does what
    follows at once: marketing stops, the account's address is told."""
    existing = pending_request(session, customer.id)
    created = existing is None
    if existing is None:
        existing = ErasureRequest(
            customer_id=customer.id, email=customer.email, conversation_id=conversation_id,
            channel=channel, requested_at=now, due_by=one_month_after(now),
            status=ErasureStatus.PENDING)
        session.add(existing)
        withdraw(session, customer, now, conversation_id, channel)
        session.flush()
        queue_email(session, customer.email, "erasure_requested",
                    "Your request to close your Harbor Goods account",
                    f"reference={reference(existing)} requested={now:%Y-%m-%d} "
                    f"due_by={existing.due_by:%Y-%m-%d}", now)
        session.commit()
    return ErasureOutcome(existing, created, _open_orders(session, customer),
                          _active_plan(session, customer))


def link_ticket(session: Session, request_id: int, ticket_id: int) -> None:
    """Notes the handoff ticket a person works the request from."""
    request = session.get(ErasureRequest, request_id)
    if request is not None and request.ticket_id is None:
        request.ticket_id = ticket_id
        session.commit()
