"""Mail the company owes its customers, queued in the database for a mail relay."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from company.models import OutboundEmail


def queue_email(session: Session, to_address: str, template: str, subject: str, body: str,
                now: datetime) -> OutboundEmail:
    """Adds a message to the outbox; the caller commits with the change it belongs to."""
    email = OutboundEmail(to_address=to_address, template=template, subject=subject, body=body,
                          created_at=now)
    session.add(email)
    return email
