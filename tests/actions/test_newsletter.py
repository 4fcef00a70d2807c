"""The newsletter from the conversation: starting it needs the account proof, stopping it
needs only an address and answers the same for anyone."""

from __future__ import annotations

from sqlalchemy import select

from actions.newsletter import (
    ActionNewsletterSubscribe,
    ActionNewsletterUnsubscribe,
    ValidateNewsletterForm,
    ValidateNewsletterUnsubscribeForm,
)
from company import accounts, newsletter
from company.models import IdentityCheck, NewsletterPreference
from tests.conftest import entity, make_tracker

ALICE = "alice.morgan@example.com"
WEB = {"channel": "web", "client_address": "203.0.113.7"}


async def test_stopping_answers_the_same_whether_or_not_the_address_is_a_customers(
        database_url, session, domain, make_dispatcher, now):
    alice = accounts.find_customer_by_email(session, ALICE)
    newsletter.subscribe(session, alice, now)
    answers = []
    for email in (ALICE, "nobody@example.com"):
        tracker = make_tracker({"account_email": email}, domain=domain, sender_id="web-3",
                               metadata=WEB)
        dispatcher = make_dispatcher(tracker)
        events = await ActionNewsletterUnsubscribe().run(dispatcher, tracker, domain)
        answers.append((dispatcher.responses(), dispatcher.messages[0]["masked_email"].count("*") > 0,
                        [e["name"] for e in events]))
    assert answers[0] == answers[1] == (["utter_newsletter_unsubscribed"], True, ["account_email"])
    session.expire_all()
    assert not newsletter.is_subscribed(session, ALICE)
    preferences = session.execute(select(NewsletterPreference)).scalars().all()
    assert [(p.customer_id, p.conversation_id, p.channel) for p in preferences] == [
        (alice.id, "web-3", "web")]


async def test_the_address_given_with_the_request_is_not_asked_again(domain, make_dispatcher):
    form = ValidateNewsletterUnsubscribeForm()
    tracker = make_tracker(text="unsubscribe jo@example.org from your newsletter",
                           intent="newsletter_unsubscribe", domain=domain,
                           entities=[entity("email", "jo@example.org")])
    assert await form.extract_account_email(make_dispatcher(tracker), tracker, domain) == {
        "account_email": "jo@example.org"}
    tracker = make_tracker(text="stop the newsletter", intent="newsletter_unsubscribe", domain=domain)
    assert await form.extract_account_email(make_dispatcher(tracker), tracker, domain) == {}
    tracker = make_tracker(text="jo@example.org", intent="inform", domain=domain,
                           entities=[entity("email", "jo@example.org")])
    assert await form.extract_account_email(make_dispatcher(tracker), tracker, domain) == {}


def test_a_wrong_address_is_asked_again(domain, make_dispatcher):
    tracker = make_tracker(text="my name is jo", domain=domain)
    dispatcher = make_dispatcher(tracker)
    result = ValidateNewsletterUnsubscribeForm().validate_account_email(
        "my name is jo", dispatcher, tracker, domain)
    assert result == {"account_email": None} and dispatcher.responses() == ["utter_email_invalid"]


def test_starting_it_needs_the_account_proof(database_url, session, domain, make_dispatcher):
    form = ValidateNewsletterForm()
    tracker = make_tracker({"account_email": ALICE}, domain=domain, sender_id="web-4", metadata=WEB)
    dispatcher = make_dispatcher(tracker)
    result = form.validate_account_postcode("M3 4LQ", dispatcher, tracker, domain)
    assert result["account_verified"] is None and dispatcher.responses() == ["utter_account_not_verified"]
    assert session.execute(select(IdentityCheck.target)).scalar_one() == ALICE
    assert form.validate_account_postcode("LS6 2QT", make_dispatcher(tracker), tracker, domain)[
        "account_verified"] == ALICE


async def test_a_proved_customer_is_subscribed(database_url, session, domain, make_dispatcher):
    tracker = make_tracker({"account_email": "nobody@example.com"}, domain=domain)
    dispatcher = make_dispatcher(tracker)
    await ActionNewsletterSubscribe().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == [] and newsletter.subscribers(session) == []

    tracker = make_tracker({"account_verified": ALICE, "account_email": ALICE}, domain=domain,
                           sender_id="tg-5", metadata={"channel": "telegram"})
    dispatcher = make_dispatcher(tracker)
    events = await ActionNewsletterSubscribe().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_newsletter_subscribed"]
    assert newsletter.subscribers(session) == [ALICE]
    preference = session.execute(select(NewsletterPreference)).scalar_one()
    assert (preference.conversation_id, preference.channel) == ("tg-5", "telegram")
    assert {e["name"]: e["value"] for e in events} == {
        "account_email": None, "account_postcode": None, "account_verified": None}


async def test_a_question_about_the_service_emails_is_answered_not_signed_up(domain, make_dispatcher):
    """"will i still get emails about my orders tho", right after stopping the newsletter,
    was read as a sign-up, and the customer who gave their email again was put back on the
    list. Marketing mail starts only on a plain request; a question is answered, and the
    sign-up offered as a button."""
    from actions.newsletter import ActionNewsletterRequest

    stopped = [{"event": "action", "name": "action_newsletter_unsubscribe"}]
    for text, events, request in (
            ("will i still get emails about my orders tho", [], "asked"),
            ("do I still get my delivery updates?", [], "asked"),
            # a sign-up read right after a stop is asked about first ...
            ("thanks, what emails will I get now", stopped, "asked"),
            # ... unless it plainly asks to be signed up again
            ("actually sign me back up please", stopped, "sign_up"),
            ("sign me up to the newsletter", [], "sign_up"),
            # the offered button
            ("/newsletter_subscribe", stopped, "sign_up")):
        tracker = make_tracker(text=text, intent="newsletter_subscribe", events=events, domain=domain)
        dispatcher = make_dispatcher(tracker)
        result = await ActionNewsletterRequest().run(dispatcher, tracker, domain)
        assert result == [{"event": "slot", "timestamp": None, "name": "newsletter_request",
                           "value": request}], text
        assert dispatcher.responses() == (["utter_newsletter_service_emails"] if request == "asked" else []), text


async def test_a_discount_for_signing_up_asked_about_is_answered_then_the_sign_up_offered(domain, make_dispatcher):
    """A customer run: "do you have a newsletter? do i get a discount for signing up" started the
    sign-up, and the discount was asked about three times without an answer."""
    from actions.newsletter import ActionNewsletterRequest

    for text in ("do i get a discount for signing up to the newsletter",
                 "so is there a discount for newsletter subscribers or not"):
        tracker = make_tracker(text=text, intent="newsletter_subscribe", domain=domain)
        dispatcher = make_dispatcher(tracker)
        result = await ActionNewsletterRequest().run(dispatcher, tracker, domain)
        assert result == [{"event": "slot", "timestamp": None, "name": "newsletter_request", "value": "asked"}]
        assert dispatcher.responses() == ["utter_help_article", "utter_newsletter_offer_sign_up"], text
        assert dispatcher.messages[0]["help_section"] == "Discounts for signing up or joining"


async def test_no_account_told_where_the_proof_is_asked_ends_the_sign_up(database_url, session, domain,
                                                                         make_dispatcher):
    """A customer run: "i dont have an account, just want the emails" where the account's
    postcode was asked got "That doesn't look like a UK postcode" and the question again,
    three times. It is told the newsletter needs an account, nothing is checked, and the
    form ends."""
    form = ValidateNewsletterForm()
    for asked, text in (("account_postcode", "i dont have an account, just want the emails"),
                        ("account_email", "I DONT HAVE AN ACCOUNT"),
                        ("account_postcode", "never signed up, I just want the newsletter")):
        slots = {"requested_slot": asked, "account_email": "dan@example.org" if asked == "account_postcode" else None}
        tracker = make_tracker(slots, text=text, intent="nlu_fallback", domain=domain, active_loop="newsletter_form")
        dispatcher = make_dispatcher(tracker)
        events = await form.run(dispatcher, tracker, domain)
        assert dispatcher.responses() == ["utter_newsletter_needs_an_account"], text
        assert dispatcher.messages[0]["sign_up_url"].startswith("harbor-goods.example/")
        assert {e["name"]: e["value"] for e in events} == {
            "account_email": None, "account_postcode": None, "account_verified": None, "requested_slot": None}
    assert session.execute(select(IdentityCheck)).first() is None
    # a postcode, or an account told of, is the answer as before
    tracker = make_tracker({"requested_slot": "account_postcode", "account_email": ALICE}, text="LS6 2QT",
                           intent="inform", domain=domain, active_loop="newsletter_form",
                           entities=[entity("postcode", "LS6 2QT")])
    dispatcher = make_dispatcher(tracker)
    await form.run(dispatcher, tracker, domain)
    assert "utter_newsletter_needs_an_account" not in dispatcher.responses()


async def test_no_account_told_with_the_request_is_told_the_newsletter_needs_one(domain, make_dispatcher):
    """A customer run: "i want your newsletter but i dont have an account" was told about the
    service emails and offered the sign-up, which asks for the account's email."""
    from actions.newsletter import ActionNewsletterRequest

    for text, needs in (("i want your newsletter but i dont have an account", True),
                        ("sign me up for the newsletter, i've never made an account", True),
                        ("sign me up to the newsletter please", False)):
        tracker = make_tracker(text=text, intent="newsletter_subscribe", domain=domain)
        dispatcher = make_dispatcher(tracker)
        events = await ActionNewsletterRequest().run(dispatcher, tracker, domain)
        assert (dispatcher.responses() == ["utter_newsletter_needs_an_account"]) is needs, text
        assert events == [{"event": "slot", "timestamp": None, "name": "newsletter_request",
                           "value": "no_account" if needs else "sign_up"}], text
