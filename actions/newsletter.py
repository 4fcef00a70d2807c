"""The newsletter from the conversation (company/newsletter.py keeps the preference and the
outbox honours it).

Starting it proves the account first (its email and postcode, the account proof every
account form shares), since only the address's owner may consent to marketing mail.
Stopping it needs only the address, no password, and the answer is the same whether or not
the address is a customer's.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import verification
from actions.accounts import AccountProofForm, clear_proof, proved_customer, validated_email
from actions.company_db import company_session
from actions.tracker_reading import latest_entity, latest_intent, slot_text
from company import newsletter
from ground.clock import utcnow
from company.identifiers import mask_email, normalise_email



def email_in_request(tracker: Tracker, intent: str) -> Dict[Text, Any]:
    """The address given with the request itself ("unsubscribe jo@example.com"), so that
    the customer is not asked for it again."""
    if tracker.get_slot("account_email") or latest_intent(tracker) != intent:
        return {}
    email = latest_entity(tracker, "email")
    return {"account_email": email} if email else {}


class ValidateNewsletterForm(AccountProofForm):
    def name(self) -> Text:
        return "validate_newsletter_form"

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
