"""Why the assistant asks for an email address or a postcode, asked where it asks for one;
and where to find the order number, asked where it asks for that.

"why do u need my email??" got the proof question again in the order lookup, and the shop's
phone number and postal address in the newsletter, password and account-closure flows (a
contact question to the model; two customer runs). `asks_why_proof` reads the question;
bot/policies/proof_questions.py has `action_why_proof` answer it inside any form that asks
for a proof, and the form then asks its question again.
"""

from __future__ import annotations

import re
from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

ACTION_NAME = "action_why_proof"
# the forms that ask for an email address or a postcode to prove an order or an account
PROOF_FORMS = frozenset({"order_form", "newsletter_form", "newsletter_unsubscribe_form", "password_reset_form",
                         "erasure_form", "contact_form"})
# the slots those forms ask the proof in
PROOF_SLOTS = frozenset({"order_verifier", "account_email", "account_postcode"})
_WHY_PROOF = re.compile(
    r"\bwhy\s+(?:do|d|would|does|must)?\s*(?:you|u|ya|it)\s+(?:need|want|ask\w*(?:\s+for)?|have\s+to\s+have)\s+"
    r"(?:(?:my|the|an?|for\s+my|your)\s+(?:e-?mail|postcode|post\s+code|details|address|info\w*)|that|this|it)\b"
    r"|\bis\s+it\s+safe\s+to\s+(?:give|share|type|send)"
    # "what do you need my email for", "do I have to give you that", "what if I don't want to
    # give it" (a customer run: the shop's phone number, or "that doesn't look like an email")
    r"|\bwhat\s+(?:do|d)\s+(?:you|u)\s+need\s+(?:(?:my|the|an?|your)\s+)?(?:e-?mail|postcode|details|address|info\w*|it|that|this)"
    r"\s+for\b"
    r"|\bdo\s+i\s+(?:have|need)\s+to\s+(?:give|tell|share|send)\b"
    r"|\bwhat\s+if\s+i\s+(?:do\s*n[o']?t|dont|would\s*n[o']?t|can'?t|cannot)\s+(?:want\s+to\s+)?(?:give|share|tell)\b",
    re.IGNORECASE)


def answered_and_asked_again(dispatcher: CollectingDispatcher, tracker: Tracker, response: str) -> List[EventType]:
    """Answers a question asked where a form asks for something, and empties the slot asked:
    the form's text mapping had filled it with the question ("why do you need that? it's my
    order, just look it up" became the order's proof, the form ended unproved, and the task
    was lost: a customer run), so the form asks its question again."""
    dispatcher.utter_message(response=response)
    asked = tracker.get_slot("requested_slot")
    return [SlotSet(asked, None)] if asked else []


WHERE_NUMBER_ACTION = "action_where_order_number"
# where the order number is: "where do i even find it", "how do I find my order number if I
# don't have the email" (a customer run: "not something I can help with", the contact
# channels, then the number asked again, 3 of 3)
_WHERE_NUMBER = re.compile(
    r"\bwhere\s+(?:do|can|would|will|should|is)\s+(?:i|u|you|it)?\s*(?:even\s+)?(?:find|get|see|look|located|be)\b"
    r"|\bhow\s+(?:do|can|would)\s+(?:i|u)\s+(?:even\s+)?(?:find|get|look\s+up|see)\s+(?:it|that|my|the|an?)\b"
    r"|\bwhere'?s\s+(?:the|my)\s+order\s+number\b|\bwhere\s+(?:it|that)\s+is\b", re.IGNORECASE)


def asks_where_the_number_is(text: str) -> bool:
    """Whether the words ask where to find the order number (with no number in them)."""
    return _WHERE_NUMBER.search(text or "") is not None and not re.search(r"\d{6}", text or "")


class ActionWhereOrderNumber(Action):
    """Where the order number is found; the form then asks for it again."""

    def name(self) -> Text:
        return WHERE_NUMBER_ACTION

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        return answered_and_asked_again(dispatcher, tracker, "utter_where_order_number")


def asks_why_proof(text: str) -> bool:
    """Whether the words ask why the email address or postcode is needed, or whether giving
    it is safe; a message that gives one ("why do you need my email, its a@b.com") does not."""
    return _WHY_PROOF.search(text) is not None and "@" not in text


# a phone number offered as the proof instead ("maybe i used my old email, i dont remember it.
# can i use my phone number?" where the proof was asked started a change of contact details:
# a customer run)
_BY_PHONE = re.compile(r"\b(?:phone|mobile|telephone|cell)(?:\s*(?:number|no))?\b|\bmy\s+number\b", re.IGNORECASE)


def offers_a_phone_number(text: str) -> bool:
    """Whether the words offer or ask to prove it with a phone number (not a number in them)."""
    return _BY_PHONE.search(text or "") is not None and not re.search(r"\d{6}", text or "")


class ActionWhyProof(Action):
    """Why the proof is asked, or that a phone number cannot prove it."""

    def name(self) -> Text:
        return ACTION_NAME

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        text = (tracker.latest_message or {}).get("text") or ""
        if offers_a_phone_number(text):
            response = "utter_proof_not_by_phone"
        elif tracker.get_slot("requested_slot") == "order_number":
            # "why do you need that?" to the order number's question was told why the email
            # address and postcode are asked (a customer run)
            response = "utter_why_order_number"
        else:
            response = "utter_why_proof"
        return answered_and_asked_again(dispatcher, tracker, response)
