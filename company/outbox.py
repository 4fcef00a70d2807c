"""Mail the company owes its customers, queued in the database for a mail relay.

Every mail goes through `queue_email`, so this is where the newsletter preference is
honoured: marketing mail (company.newsletter.MARKETING_TEMPLATES) is queued only to a
customer who subscribed; service mail (orders, invoices, password resets, notices about
the account) is always queued.
"""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy.orm import Session

from company.models import OutboundEmail
from company.newsletter import is_marketing, is_subscribed


def queue_email(session: Session, to_address: str, template: str, subject: str, body: str,
                now: datetime) -> Optional[OutboundEmail]:
    """Adds a message to the outbox; the caller commits with the change it belongs to.

    Returns None, and queues nothing, for marketing mail to an address that is not
    subscribed to the newsletter.
    """
    if is_marketing(template) and not is_subscribed(session, to_address):
        return None
    email = OutboundEmail(to_address=to_address, template=template, subject=subject, body=body,
                          created_at=now)
    session.add(email)
    return email
