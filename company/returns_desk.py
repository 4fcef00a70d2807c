"""What the returns desk records about a return after it is registered: the parcel arriving,
then the refund paid. The refund's working days count from the arrival and a refund is
answered as paid from the day recorded here (company.policies.refund_of), so these are the
facts "where is my refund" reads.

Recorded from the command line (bot/cli/returns.py) and from the staff console's returns
screen (handoff/returns_api.py), which also lists what waits for the desk: returns whose
parcel has not arrived, and returns received but not yet refunded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import List, Optional, Tuple

from sqlalchemy import func, or_, select, true
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql.elements import ColumnElement

from company.identifiers import normalise_order_number
from company.models import RECORDED_BY_LENGTH, Order, OrderItem, ReturnRequest, ReturnStatus
from company.policies import refund_due

# an ISO date, or a date and time to the minute or second, with an optional zone
MOMENT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
                    r"([T ][0-9]{2}:[0-9]{2}(:[0-9]{2})?(Z|[+-][0-9]{2}:[0-9]{2})?)?")


# who recorded it, when it was `make returns` (bot/cli/returns.py)
COMMAND_LINE = "command line"


class ReturnsDeskError(Exception):
    """The request cannot be recorded as asked (unknown return, or out of order)."""


class UnknownReturn(ReturnsDeskError):
    """No return has this reference."""


class BadMoment(ReturnsDeskError):
    """The time given for an arrival or a refund is no ISO date, or in the future."""


def moment(text: Optional[str], now: datetime) -> datetime:
    """When the desk records something, from an ISO date or date and time (UTC when it names
    no zone, e.g. 2026-12-04 or 2026-12-04T10:30), not in the future; `now` when none is
    given. A plain date is the end of that day (now, for today), so that an arrival on the
    day a return was registered, or a refund on the day of the arrival, is accepted."""
    if not text:
        return now
    try:
        if not MOMENT.fullmatch(text):
            raise ValueError(text)
        at = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
        if at.tzinfo is not None:
            at = at.astimezone(timezone.utc).replace(tzinfo=None)
    except (ValueError, OverflowError):  # no such day or time; beyond the calendar in UTC
        raise BadMoment(f"{text!r} is no ISO date (2026-12-04 or 2026-12-04T10:30)")
    if at > now:
        raise BadMoment(f"{text!r} is in the future")
    if len(text) == len("2026-12-04"):
        at = min(at.replace(hour=23, minute=59, second=59), now)
    return at


def find_return(session: Session, rma: str) -> ReturnRequest:
    found = session.execute(
        select(ReturnRequest).where(ReturnRequest.rma == rma.strip().upper())
    ).scalar_one_or_none()
    if found is None:
        raise UnknownReturn(f"no return {rma!r}")
    return found


def record_received(session: Session, rma: str, at: datetime, *, by: str) -> ReturnRequest:
    """The return's parcel reached us at `at` (not before it was registered, nor in the
    future of `now`: the caller passes a checked time), as recorded `by` a staff member (their
    user name) or the command line; recording it again keeps the first."""
    request = find_return(session, rma)
    if at < request.created_at:
        raise ReturnsDeskError(f"{request.rma} was registered on {request.created_at:%Y-%m-%d}; "
                               f"its parcel cannot have arrived before")
    if request.received_at is None:
        request.received_at = at
        request.received_by = by[:RECORDED_BY_LENGTH]
        session.commit()
    return request


def record_refunded(session: Session, rma: str, at: datetime, *, by: str) -> ReturnRequest:
    """The return's refund was paid at `at`, as recorded `by` someone (see `record_received`);
    only after its parcel arrived (a refund before the goods are back is a person's
    decision, made by recording the arrival first)."""
    request = find_return(session, rma)
    if request.received_at is None:
        raise ReturnsDeskError(f"{request.rma}'s parcel has not been recorded as received")
    if at < request.received_at:
        raise ReturnsDeskError(f"{request.rma} arrived on {request.received_at:%Y-%m-%d}; "
                               f"it cannot have been refunded before")
    if request.status != ReturnStatus.REFUNDED:
        request.status = ReturnStatus.REFUNDED
        request.refunded_at = at
        request.refunded_by = by[:RECORDED_BY_LENGTH]
        session.commit()
    return request


# --- what waits for the desk -----------------------------------------------------------------
AWAITING_PARCEL = "awaiting_parcel"
AWAITING_REFUND = "awaiting_refund"
REFUNDED = "refunded"


@dataclass(frozen=True)
class DeskEntry:
    """A return as the desk sees it: where it stands and, once its parcel arrived, the day
    its refund is due (company.policies.refund_due) and whether that day has passed."""

    rma: str
    order_number: str
    products: Tuple[str, ...]
    reason: str  # the customer's own words
    refund_pence: int
    registered_at: datetime
    received_at: Optional[datetime]
    received_by: Optional[str]
    refunded_at: Optional[datetime]
    refunded_by: Optional[str]
    refund_due: Optional[date]
    overdue: bool
    stage: str  # AWAITING_PARCEL, AWAITING_REFUND or REFUNDED


def desk_entry(request: ReturnRequest, now: datetime) -> DeskEntry:
    refunded = request.status == ReturnStatus.REFUNDED
    due = refund_due(request.received_at) if request.received_at is not None else None
    stage = (REFUNDED if refunded else
             AWAITING_PARCEL if request.received_at is None else AWAITING_REFUND)
    return DeskEntry(
        request.rma, request.order.number,
        tuple(item.product.name for item in request.order.items), request.reason,
        request.refund_pence, request.created_at, request.received_at, request.received_by,
        request.refunded_at if refunded else None, request.refunded_by if refunded else None, due,
        not refunded and due is not None and now.date() > due, stage)


def _about(reference: Optional[str]) -> ColumnElement:
    """Returns whose RMA or order number is `reference` (as typed: any case, "HG100003" or
    "100003" for HG-100003); every return when it is empty."""
    if not reference or not reference.strip():
        return true()
    typed = reference.strip().upper()
    order_number = normalise_order_number(typed)
    if order_number is None:
        return ReturnRequest.rma == typed
    return or_(ReturnRequest.rma == typed,
               ReturnRequest.order_id.in_(select(Order.id).where(Order.number == order_number)))


def _waiting(session: Session, condition: ColumnElement, order: Tuple[ColumnElement, ...],
             limit: int, now: datetime, reference: Optional[str]) -> Tuple[List[DeskEntry], int]:
    condition = condition & _about(reference)
    total = session.execute(
        select(func.count(ReturnRequest.id)).where(condition)).scalar_one()
    found = session.execute(
        select(ReturnRequest).where(condition).order_by(*order).limit(limit)
        .options(selectinload(ReturnRequest.order).selectinload(Order.items)
                 .selectinload(OrderItem.product))
    ).scalars().all()
    return [desk_entry(request, now) for request in found], total


def awaiting_parcel(session: Session, now: datetime, limit: int,
                    reference: Optional[str] = None) -> Tuple[List[DeskEntry], int]:
    """Registered returns whose parcel has not been recorded as arrived, the newest first
    (the parcels that may reach us now), at most `limit`, only those of `reference` (an RMA
    or an order number) if one is given; and how many there are."""
    return _waiting(session, (ReturnRequest.status != ReturnStatus.REFUNDED)
                    & ReturnRequest.received_at.is_(None),
                    (ReturnRequest.created_at.desc(), ReturnRequest.id.desc()), limit, now,
                    reference)


def awaiting_refund(session: Session, now: datetime, limit: int,
                    reference: Optional[str] = None) -> Tuple[List[DeskEntry], int]:
    """Returns whose parcel arrived and whose refund is not recorded as paid, the one due
    first first (the overdue ones on top), at most `limit`, only those of `reference` if one
    is given; and how many there are."""
    return _waiting(session, (ReturnRequest.status != ReturnStatus.REFUNDED)
                    & ReturnRequest.received_at.is_not(None),
                    (ReturnRequest.received_at, ReturnRequest.id), limit, now, reference)
