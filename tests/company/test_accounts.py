import hashlib

import pytest
from sqlalchemy import select

from company import accounts
from company.models import Customer, OutboundEmail, PasswordReset


def test_reset_link_is_queued_only_for_existing_accounts(session, now):
    assert accounts.request_password_reset(session, "Alice.Morgan@example.com", now)
    assert not accounts.request_password_reset(session, "nobody@example.com", now)
    resets = session.execute(select(PasswordReset)).scalars().all()
    mails = session.execute(select(OutboundEmail)).scalars().all()
    assert len(resets) == 1 and len(mails) == 1
    token = mails[0].body.rsplit("token=", 1)[1]
    # only a hash of the token is stored
    assert resets[0].token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in resets[0].token_hash
    assert resets[0].expires_at - resets[0].created_at == accounts.RESET_LINK_LIFETIME


def test_account_is_verified_by_email_and_postcode(session):
    assert accounts.verify_account(session, "alice.morgan@example.com", "ls6 2qt").name == "Alice Morgan"
    assert accounts.verify_account(session, "alice.morgan@example.com", "M3 4LQ") is None
    assert accounts.verify_account(session, "nobody@example.com", "LS6 2QT") is None


def test_contact_details_change_and_the_old_address_is_told(session, now):
    alice = accounts.find_customer_by_email(session, "alice.morgan@example.com")
    assert accounts.update_contact_detail(session, alice, "phone", "07700 900999", now) == "+447700900999"
    assert accounts.update_contact_detail(session, alice, "email", "Alice@Example.org", now) == "alice@example.org"
    notices = session.execute(select(OutboundEmail.to_address)).scalars().all()
    assert notices == ["alice.morgan@example.com", "alice.morgan@example.com"]


def test_contact_change_rejects_bad_values_and_taken_emails(session, now):
    alice = accounts.find_customer_by_email(session, "alice.morgan@example.com")
    with pytest.raises(accounts.InvalidContactValue):
        accounts.update_contact_detail(session, alice, "phone", "12", now)
    with pytest.raises(accounts.EmailInUse):
        accounts.update_contact_detail(session, alice, "email", "ben.okafor@example.com", now)
    session.expire_all()
    assert session.get(Customer, alice.id).email == "alice.morgan@example.com"
