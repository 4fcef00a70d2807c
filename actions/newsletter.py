"""The newsletter from the conversation (company/newsletter.py keeps the preference and the
outbox honours it).

Starting it proves the account first (its email and postcode, the account proof every
account form shares), since only the address's owner may consent to marketing mail.
Stopping it needs only the address, no password, and the answer is the same whether or not
the address is a customer's.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import verification
from actions.accounts import (AccountProofForm, clear_proof, email_in_request, proved_customer, tells_no_account,
                              validated_email)
from actions.company_db import company_session
from actions.help_centre import answer_with_passage_headed
from actions.tracker_reading import slot_text, typed_text
from company import newsletter, policies
from ground.clock import utcnow
from company.identifiers import mask_email, normalise_email

# the emails every customer gets whatever their newsletter choice: a question about these
# ("will I still get emails about my orders?") is no request for marketing mail
_SERVICE_EMAILS = re.compile(
    r"\b(?:orders?|deliver\w*|dispatch\w*|shipping|tracking|returns?|refunds?|receipts?|invoices?"
    r"|account|password|confirmations?)\b", re.IGNORECASE)
# asked plainly for: "sign me up again", "resubscribe me", "put me back on the list"
_PLAINLY_ASKED = re.compile(
    r"\b(?:sign\s+me\s+(?:back\s+)?up|re-?subscribe|subscribe\s+me|add\s+me|put\s+me\s+back"
    r"|join\s+(?:the|your)\s+(?:newsletter|mailing\s+list)|i\s+(?:do\s+)?want\s+(?:the|your)\s+newsletter)\b",
    re.IGNORECASE)


# a discount for signing up, asked about ("do i get a discount for signing up?" started the
# sign-up, and the question was never answered, three times: a customer run)
_ASKS_FOR_A_DISCOUNT = re.compile(r"\b(?:discount|promo|voucher|coupon|money\s+off|\d+\s*%\s*off)\w*\b"
                                  r"|\bcodes?\b(?=[^.!]*\?|[^.!]*\b(?:do|does|will|is|are)\b)", re.IGNORECASE)
# the section that answers it (company/help_articles/discounts-and-price-drops.md)
NEWSLETTER_OFFERS_SECTION = ("discounts", "signing")


def unsubscribed_in_session(tracker: Tracker) -> bool:
    """Whether the newsletter was stopped earlier in this conversation's session."""
    for event in reversed(tracker.events):
        if event.get("event") == "session_started":
            return False
        if event.get("event") == "action" and event.get("name") == "action_newsletter_unsubscribe":
            return True
    return False


# newsletter_request when the customer said they have no account: nothing offered to say yes to
NO_ACCOUNT = "no_account"


class ActionNewsletterRequest(Action):
    """Starts the sign-up only on a plain request: marketing mail needs the customer's clear
    consent. "will i still get emails about my orders tho", right after stopping the
    newsletter, read as a sign-up and put the customer back on the list. A question about
    the service emails is answered, and so is a sign-up right after a stop, and a question
    about a sign-up discount (from the help centre); each offers the sign-up as a button
    (newsletter_request: sign_up or asked)."""

    def name(self) -> Text:
        return "action_newsletter_request"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        text = typed_text(tracker)
        if text and tells_no_account(text):
            # "i want your newsletter but i dont have an account" was told about the service
            # emails and offered the sign-up, which asks for the account (a customer run)
            tell_the_newsletter_needs_an_account(dispatcher)
            return [SlotSet("newsletter_request", NO_ACCOUNT)]
        if text and _ASKS_FOR_A_DISCOUNT.search(text) and answer_with_passage_headed(
                dispatcher, NEWSLETTER_OFFERS_SECTION, tracker, ask_helped=False):
            dispatcher.utter_message(response="utter_newsletter_offer_sign_up")
            return [SlotSet("newsletter_request", "asked")]
        if text and (_SERVICE_EMAILS.search(text) or (
                unsubscribed_in_session(tracker) and not _PLAINLY_ASKED.search(text))):
            dispatcher.utter_message(response="utter_newsletter_service_emails")
            return [SlotSet("newsletter_request", "asked")]
        return [SlotSet("newsletter_request", "sign_up")]


def tell_the_newsletter_needs_an_account(dispatcher: CollectingDispatcher) -> None:
    """The newsletter is an account's preference (company.newsletter): how to make one."""
    dispatcher.utter_message(response="utter_newsletter_needs_an_account", sign_up_url=policies.SIGN_UP_URL)


class ValidateNewsletterForm(AccountProofForm):
    def name(self) -> Text:
        return "validate_newsletter_form"

    def needs_an_account(self, dispatcher: CollectingDispatcher) -> bool:
        tell_the_newsletter_needs_an_account(dispatcher)
        return True

    async def extract_account_email(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        return email_in_request(tracker, "newsletter_subscribe")


class ActionNewsletterSubscribe(Action):
    """Subscribes the account this conversation has just proved."""

    def name(self) -> Text:
        return "action_newsletter_subscribe"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        cleared = clear_proof()
        attempt = verification.attempt_of(tracker)
        with company_session() as session:
            customer = proved_customer(tracker, session)
            if customer is None:
                return cleared
            newsletter.subscribe(session, customer, utcnow(), attempt.conversation_id,
                                 attempt.channel)
            dispatcher.utter_message(response="utter_newsletter_subscribed",
                                     masked_email=mask_email(customer.email))
        return cleared


class ValidateNewsletterUnsubscribeForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_newsletter_unsubscribe_form"

    async def extract_account_email(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        return email_in_request(tracker, "newsletter_unsubscribe")

    def validate_account_email(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        return validated_email(value, tracker, dispatcher, "account_email")


class ActionNewsletterUnsubscribe(Action):
    """Stops the newsletter to the address given; the same answer whoever it belongs to."""

    def name(self) -> Text:
        return "action_newsletter_unsubscribe"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        email = normalise_email(slot_text(tracker.get_slot("account_email")))
        if email is not None:
            attempt = verification.attempt_of(tracker)
            with company_session() as session:
                newsletter.unsubscribe(session, email, utcnow(), attempt.conversation_id,
                                       attempt.channel)
            dispatcher.utter_message(response="utter_newsletter_unsubscribed",
                                     masked_email=mask_email(email))
        return [SlotSet("account_email", None)]
