"""The newsletter preference and the outbox that honours it: marketing mail is queued only
to customers who subscribed; service mail is queued whatever the preference."""

from datetime import timedelta

from sqlalchemy import select

from company import accounts, newsletter, orders
from company.models import NewsletterPreference, OutboundEmail
from company.outbox import queue_email

ALICE, BEN = "alice.morgan@example.com", "ben.okafor@example.com"


def queued(session, template=None):
    query = select(OutboundEmail.to_address, OutboundEmail.template).order_by(OutboundEmail.id)
    if template:
        query = query.where(OutboundEmail.template == template)
    return [tuple(row) for row in session.execute(query)]


def send_issue(session, now):
    """What a mailing tool does: one newsletter for every customer, through the outbox."""
    from company.models import Customer

    for email in session.execute(select(Customer.email)).scalars().all():
        queue_email(session, email, newsletter.NEWSLETTER, "New in this week", "…", now)
    session.commit()


def test_nobody_gets_the_newsletter_without_saying_yes(session, now):
    assert newsletter.subscribers(session) == []
    assert not newsletter.is_subscribed(session, ALICE)
    send_issue(session, now)
    assert queued(session) == []


def test_only_subscribers_get_the_newsletter_and_unsubscribing_stops_it(session, now):
    alice = accounts.find_customer_by_email(session, ALICE)
    newsletter.subscribe(session, alice, now, "web-1", "web")
    assert newsletter.is_subscribed(session, "Alice.Morgan@Example.com")
    assert newsletter.subscribers(session) == [ALICE]
    send_issue(session, now)
    assert queued(session) == [(ALICE, "newsletter")]

    assert newsletter.unsubscribe(session, " ALICE.MORGAN@example.com ", now + timedelta(days=1),
                                  "tg-2", "telegram")
    preference = session.execute(select(NewsletterPreference)).scalar_one()
    assert not preference.subscribed and preference.channel == "telegram"
    assert preference.conversation_id == "tg-2"
    # the issue queued before and not yet sent is withdrawn, and the next one is not queued
    assert queued(session) == []
    send_issue(session, now + timedelta(days=7))
    assert queued(session) == []


def test_service_mail_still_goes_to_an_unsubscribed_customer(session, now):
    alice = accounts.find_customer_by_email(session, ALICE)
    newsletter.subscribe(session, alice, now)
    newsletter.unsubscribe(session, ALICE, now)
    assert accounts.request_password_reset(session, ALICE, now)
    order = orders.find_order(session, "HG-100002")
    assert order.customer.email == ALICE
    orders.queue_invoice_email(session, order, now)
    accounts.update_contact_detail(session, alice, "phone", "07700 900999", now)
    assert queue_email(session, ALICE, newsletter.NEWSLETTER, "Sale", "…", now) is None
    session.commit()
    assert queued(session) == [(ALICE, "password_reset"), (ALICE, "invoice_copy"),
                               (ALICE, "contact_changed")]


def test_unsubscribing_an_address_that_is_no_customers_changes_nothing(session, now):
    assert not newsletter.unsubscribe(session, "nobody@example.com", now)
    assert not newsletter.unsubscribe(session, "not an email", now)
    assert session.execute(select(NewsletterPreference)).scalars().all() == []


def test_the_preference_follows_the_customer_to_a_new_email(session, now):
    ben = accounts.find_customer_by_email(session, BEN)
    newsletter.subscribe(session, ben, now)
    accounts.update_contact_detail(session, ben, "email", "ben@example.net", now)
    assert newsletter.is_subscribed(session, "ben@example.net")
    assert not newsletter.is_subscribed(session, BEN)  # the old address gets no marketing
    assert queue_email(session, BEN, newsletter.NEWSLETTER, "Sale", "…", now) is None


def test_a_newsletter_queued_before_an_email_change_follows_the_customer(session, now):
    """Queued to the old address, then the email changed, then 'unsubscribe': the row stayed
    queued to the old address, which no customer has any more, so neither address could
    stop it."""
    ben = accounts.find_customer_by_email(session, BEN)
    newsletter.subscribe(session, ben, now)
    send_issue(session, now)
    assert queued(session, newsletter.NEWSLETTER) == [(BEN, "newsletter")]
    accounts.update_contact_detail(session, ben, "email", "ben@example.net", now)
    assert queued(session, newsletter.NEWSLETTER) == [("ben@example.net", "newsletter")]
    # service mail already queued stays where it was addressed (the change notice included)
    assert (BEN, "contact_changed") in queued(session)
    assert newsletter.unsubscribe(session, "ben@example.net", now)
    assert queued(session, newsletter.NEWSLETTER) == []
