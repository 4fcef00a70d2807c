"""What the returns desk records about a return after it is registered: the parcel arriving,
then the refund paid. The refund's working days count from the arrival and a refund is
answered as paid from the day recorded here (company.policies.refund_of), so these are the
facts "where is my refund" reads.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from company.models import ReturnRequest, ReturnStatus


class ReturnsDeskError(Exception):
    """The request cannot be recorded as asked (unknown return, or out of order)."""


def find_return(session: Session, rma: str) -> ReturnRequest:
    found = session.execute(
        select(ReturnRequest).where(ReturnRequest.rma == rma.strip().upper())
    ).scalar_one_or_none()
    if found is None:
        raise ReturnsDeskError(f"no return {rma!r}")
    return found


def record_received(session: Session, rma: str, at: datetime) -> ReturnRequest:
    """The return's parcel reached us at `at` (not before it was registered, nor in the
    future of `now`: the caller passes a checked time); recording it again keeps the first."""
    request = find_return(session, rma)
    if at < request.created_at:
        raise ReturnsDeskError(f"{request.rma} was registered on {request.created_at:%Y-%m-%d}; "
                               f"its parcel cannot have arrived before")
    if request.received_at is None:
        request.received_at = at
        session.commit()
    return request


def record_refunded(session: Session, rma: str, at: datetime) -> ReturnRequest:
    """The return's refund was paid at `at`; only after its parcel arrived (a refund before
    the goods are back is a person's decision, made by recording the arrival first)."""
    request = find_return(session, rma)
    if request.received_at is None:
        raise ReturnsDeskError(f"{request.rma}'s parcel has not been recorded as received")
    if at < request.received_at:
        raise ReturnsDeskError(f"{request.rma} arrived on {request.received_at:%Y-%m-%d}; "
                               f"it cannot have been refunded before")
    if request.status != ReturnStatus.REFUNDED:
        request.status = ReturnStatus.REFUNDED
        request.refunded_at = at
        session.commit()
    return request
