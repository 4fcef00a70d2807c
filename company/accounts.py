"""Customer accounts: password-reset requests and contact-detail changes."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from company.identifiers import normalise_email, normalise_phone, normalise_postcode
from company.models import Customer, PasswordReset
from company.newsletter import readdress_queued
from company.outbox import queue_email

RESET_LINK_LIFETIME = timedelta(hours=1)
# reset mails one customer can be sent in a day: enough for a lost mail, not a mail bomb
RESETS_PER_DAY = 3
RESET_URL = "https://harbor-goods.example/account/reset?token="


def find_customer_by_email(session: Session, text: Optional[str]) -> Optional[Customer]:
    email = normalise_email(text)
    if email is None:
        return None
    return session.execute(
        select(Customer).where(func.lower(Customer.email) == email)
    ).scalar_one_or_none()


def request_password_reset(session: Session, email_text: str, now: datetime) -> bool:
    """Queues a one-hour reset link when an account has this email and it has had fewer
    than RESETS_PER_DAY in the last day; returns whether one was queued.

    The caller must answer the customer the same way either way, so that the assistant
    cannot be used to find out who has an account, nor to flood someone's inbox.
    """
    customer = find_customer_by_email(session, email_text)
    if customer is None:
        return False
    sent_today = session.execute(
        select(func.count()).select_from(PasswordReset).where(
            PasswordReset.customer_id == customer.id,
            PasswordReset.created_at > now - timedelta(days=1))
    ).scalar_one()
    if sent_today >= RESETS_PER_DAY:
        return False
    token = secrets.token_urlsafe(32)
    session.add(
        PasswordReset(
            customer_id=customer.id,
            token_hash=hashlib.sha256(token.encode()).hexdigest(),
            created_at=now,
            expires_at=now + RESET_LINK_LIFETIME,
        )
    )
    queue_email(session, customer.email, "password_reset", "Reset your Harbor Goods password",
                f"{RESET_URL}{token}", now)
    session.commit()
    return True


def verify_account(session: Session, email_text: str, postcode_text: str) -> Optional[Customer]:
    """The customer whose account email and postcode both match, or None."""
    customer = find_customer_by_email(session, email_text)
    postcode = normalise_postcode(postcode_text)
    if customer is None or postcode is None:
        return None
    if not secrets.compare_digest(customer.postcode.upper(), postcode):
        return None
    return customer


class InvalidContactValue(ValueError):
    """The new phone number or email is not a valid one."""


class EmailInUse(ValueError):
    """Another account already uses that email."""


def update_contact_detail(
    session: Session, customer: Customer, field: str, value: str, now: datetime
) -> str:
    """Sets the customer's phone or email; returns the stored (normalised) value.

    A notice goes to the email address on file before the change, so that a customer whose
    details were changed by someone else finds out.
    """
    previous_email = customer.email
    if field == "phone":
        phone = normalise_phone(value)
        if phone is None:
            raise InvalidContactValue(value)
        customer.phone = phone
    elif field == "email":
        email = normalise_email(value)
        if email is None:
            raise InvalidContactValue(value)
        other = find_customer_by_email(session, email)
        if other is not None and other.id != customer.id:
            raise EmailInUse(email)
        customer.email = email
        readdress_queued(session, previous_email, email)
    else:
        raise ValueError(f"unknown contact field {field!r}")
    queue_email(session, previous_email, "contact_changed",
                "Your Harbor Goods contact details changed", f"field={field}", now)
    session.commit()
    return customer.phone if field == "phone" else customer.email
