"""The newsletter: who wants marketing mail, as the customers said it, and the check the
outbox makes before queueing any.

Marketing mail needs the customer's consent, so only a customer who said yes gets it: a
`newsletter_preferences` row with `subscribed` true, for whatever email address their
account has now. Unsubscribing needs no password and works on the address alone; the
caller answers the same whether or not it belongs to a customer. Service mail (orders,
invoices, password resets, notices about the account) is not marketing and is never held
back by this preference.
"""

from __future__ import annotations

from datetime import datetime
from typing import List, Optional

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from company.identifiers import normalise_email
from company.models import Customer, NewsletterPreference, OutboundEmail

NEWSLETTER = "newsletter"
# outbox templates that are marketing: queued only to customers subscribed to the newsletter
MARKETING_TEMPLATES = frozenset({NEWSLETTER})


def is_marketing(template: str) -> bool:
    return template in MARKETING_TEMPLATES


def _customer(session: Session, email_text: Optional[str]) -> Optional[Customer]:
    email = normalise_email(email_text)
    if email is None:
        return None
    return session.execute(
        select(Customer).where(func.lower(Customer.email) == email)
    ).scalar_one_or_none()


def is_subscribed(session: Session, address: Optional[str]) -> bool:
    """Whether marketing mail may go to this address: it is a customer's account email and
    that customer subscribed (and has not unsubscribed since)."""
    customer = _customer(session, address)
    if customer is None:
        return False
    return bool(session.execute(
        select(NewsletterPreference.subscribed)
        .where(NewsletterPreference.customer_id == customer.id)
    ).scalar_one_or_none())


def subscribers(session: Session) -> List[str]:
    """The account emails of every subscribed customer."""
    return list(session.execute(
        select(Customer.email).join(NewsletterPreference,
                                    NewsletterPreference.customer_id == Customer.id)
        .where(NewsletterPreference.subscribed.is_(True)).order_by(Customer.id)
    ).scalars())


def _record(session: Session, customer: Customer, subscribed: bool, now: datetime,
            conversation_id: Optional[str], channel: Optional[str]) -> None:
    preference = session.execute(
        select(NewsletterPreference).where(NewsletterPreference.customer_id == customer.id)
    ).scalar_one_or_none()
    if preference is None:
        preference = NewsletterPreference(customer_id=customer.id)
        session.add(preference)
    preference.subscribed = subscribed
    preference.changed_at = now
    preference.conversation_id = conversation_id
    preference.channel = channel


def subscribe(session: Session, customer: Customer, now: datetime,
              conversation_id: Optional[str] = None, channel: Optional[str] = None) -> None:
    """Records the customer's consent; the caller must have proved the account is theirs
    (anyone may stop the newsletter to an address, only its owner may start it)."""
    _record(session, customer, True, now, conversation_id, channel)
    session.commit()


def withdraw(session: Session, customer: Customer, now: datetime,
             conversation_id: Optional[str] = None, channel: Optional[str] = None) -> None:
    """Stops marketing mail to this customer at once, newsletters already queued for their
    address and not yet sent included. The caller commits."""
    _record(session, customer, False, now, conversation_id, channel)
    session.execute(
        delete(OutboundEmail)
        .where(func.lower(OutboundEmail.to_address) == customer.email.lower(),
               OutboundEmail.template.in_(MARKETING_TEMPLATES),
               OutboundEmail.sent_at.is_(None))
        .execution_options(synchronize_session=False)
    )


def readdress_queued(session: Session, previous: str, current: str) -> None:
    """Marketing mail queued for a customer's previous address and not yet sent follows
    them to their new one: the consent is the customer's, not the address's, and
    unsubscribing (which finds the customer by the address they have now) must reach it.
    The caller commits."""
    if previous.lower() == current.lower():
        return
    session.execute(
        update(OutboundEmail)
        .where(func.lower(OutboundEmail.to_address) == previous.lower(),
               OutboundEmail.template.in_(MARKETING_TEMPLATES),
               OutboundEmail.sent_at.is_(None))
        .values(to_address=current)
        .execution_options(synchronize_session=False)
    )


def unsubscribe(session: Session, email_text: str, now: datetime,
                conversation_id: Optional[str] = None, channel: Optional[str] = None) -> bool:
    """Stops the newsletter to this address; returns whether it is a customer's.

    No password is needed: anyone may stop marketing mail to an address. The caller must
    answer the same either way, so that this cannot be used to find out who is a customer.
    """
    customer = _customer(session, email_text)
    if customer is None:
        return False
    withdraw(session, customer, now, conversation_id, channel)
    session.commit()
    return True
