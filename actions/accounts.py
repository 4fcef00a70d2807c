"""Password resets and contact-detail changes for customer accounts, and the account proof
(email and postcode) the account forms share."""

from __future__ import annotations

import re
from abc import abstractmethod
from typing import Any, Dict, List, Optional, Text, Tuple

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import verification
from actions.company_db import company_session
from actions.contact_corrections import corrected_email, corrected_phone
from actions.read_backs import keeps_it_as_it_was
from actions.topic_requests import order_task_of, topic_events
from actions.tracker_reading import (entity_values, latest_entity, latest_intent, session_messages_newest_first,
                                     slot_text, typed_text)
from company import accounts
from ground.clock import utcnow
from company.identifiers import mask_email, normalise_email, normalise_phone
from company.identity_checks import ACCOUNT

_CONTACT_FORM_SLOTS = ("account_email", "account_postcode", "contact_field", "new_contact_value",
                       "contact_confirmed")
# the answers to the change read back (slot contact_confirmed): "no" asks for the right value
# again, "kept" (or a "no" before it, "leave it") ends the change with nothing changed
CONFIRMED, REFUSED, KEPT = "yes", "no", "kept"
_CLEARED_CHECK = {"account_email": None, "account_postcode": None, "account_verified": None}
_FIELD_WORDS = {
    "phone": re.compile(r"\b(phone|mobile|number|telephone|tel)\b", re.I),
    "email": re.compile(r"\b(e-?mail|email address)\b", re.I),
}
# an address told as the new one when the current one was asked: "it's alice.new@… now",
# "change it to …", "my new email is …" ("right now" is the question's own word)
_AS_THE_NEW_ONE = re.compile(
    r"\bnew\b|(?<!right )\bnow\W*$|\binstead\b|\bshould be\b|\bfrom now on\b"
    r"|\b(change|update|switch|swap|move|set)\b.*\bto\b", re.I)
_EMAIL_WORDS = re.compile(r"\S+@\S+")
# the words between the old address and the new one: "from alice@… to alice.m@…", "alice@… ->
# alice.m@…", "old one alice@…, new one alice.m@…" (a customer run: both told, the current one
# asked for again)
_OLD_TO_NEW = re.compile(
    r"^\W*(?:to|->|→|=>|>|now|is\s+now|(?:and|but)\s+(?:it'?s\s+|its\s+)?now(?:\s+(?:it'?s|its|it\s+is))?"
    r"|new(?:\s+one)?(?:\s+is)?"
    r"|(?:and\s+)?(?:the\s+|my\s+)?new\s+(?:one|email|address|e-?mail\s+address)?\s*(?:is|will\s+be|should\s+be)?"
    r"|(?:should\s+be|will\s+be|becomes?|changed\s+to|change\s+(?:it\s+)?to|please\s+change\s+(?:it\s+)?to))\W*$",
    re.IGNORECASE)
# a phone number in the words, however it is spaced
_PHONE_TOLD = re.compile(r"((?:\+44|0044|0)[\d\s()-]{9,16}\d)")
# an answer with no "@" that speaks of the reset failing or of not knowing the address: "the
# reset email never arrives", "I don't know which email I used", "forgot which one"
_ABOUT_THE_RESET = re.compile(
    r"^[^@]*\b(never|not|didn'?t|doesn'?t|don'?t|dont|haven'?t|hasn'?t|forgot(ten)?|remember|which|spam"
    r"|arriv\w*|receiv\w*|come|came|link|reset)\b[^@]*$", re.I)


def email_in_request(tracker: Tracker, intent: str) -> Dict[Text, Any]:
    """The address given with the request itself ("unsubscribe jo@example.com", "reset my
    password, email is jo@example.com"), so that the customer is not asked for it again."""
    if tracker.get_slot("account_email") or latest_intent(tracker) != intent:
        return {}
    email = latest_entity(tracker, "email")
    return {"account_email": email} if email else {}


def validated_email(value: Any, tracker: Tracker, dispatcher: CollectingDispatcher,
                     slot: str) -> Dict[Text, Any]:
    email = normalise_email(latest_entity(tracker, "email") or slot_text(value))
    if email is None:
        dispatcher.utter_message(response="utter_email_invalid")
    return {slot: email}


def verify_account_postcode(value: Any, dispatcher: CollectingDispatcher,
                            tracker: Tracker) -> Dict[Text, Any]:
    """The account proof every account form shares: the email on the account (slot
    `account_email`) and, as the answer `value`, its postcode. A match sets
    `account_verified` to the account's email; a mismatch is a failed identity check
    (actions.verification), which counts across conversations and may lock the account or
    hand the conversation to a person. An answer that is no postcode at all is no check:
    the postcode is asked again."""
    email = slot_text(tracker.get_slot("account_email")) or ""
    postcode = latest_entity(tracker, "postcode") or slot_text(value) or ""
    target = normalise_email(email) or email
    checks = verification.identity_checks()
    with company_session() as session:
        owner = accounts.find_customer_by_email(session, email)
        owner_id = owner.id if owner is not None else None
        if verification.refused(tracker, dispatcher, checks, ACCOUNT, target, owner_id):
            return {**_CLEARED_CHECK, "verification_failures": float(verification.MAX_FAILED_CHECKS)}
        if not verification.offers_proof([postcode]):
            dispatcher.utter_message(response="utter_postcode_not_seen")
            return {"account_postcode": None}
        customer = accounts.verify_account(session, email, postcode)
        if customer is not None:
            return {"account_postcode": customer.postcode, "account_verified": customer.email,
                    "customer_vip": customer.is_vip}
    outcome = verification.record_failed_check(
        tracker, dispatcher, "utter_account_not_verified", checks, ACCOUNT, target, owner_id)
    slots = {**_CLEARED_CHECK, "verification_failures": outcome["verification_failures"]}
    if outcome["locked"]:
        # no more tries here: the form stops (required_slots), whatever the count says
        slots["verification_failures"] = float(max(outcome["verification_failures"],
                                                   verification.MAX_FAILED_CHECKS))
    if "handoff_ticket" in outcome:
        slots["handoff_ticket"] = outcome["handoff_ticket"]
    return slots


# what an account-proof form leaves behind; cleared once the action after it has run
PROOF_SLOTS = ("account_email", "account_postcode", "account_verified")


def clear_proof() -> List[EventType]:
    return [SlotSet(slot, None) for slot in PROOF_SLOTS]


def proved_customer(tracker: Tracker, session: Any) -> Optional[Any]:
    """The customer whose account this conversation's account-proof form has just proved,
    or None (the proof failed, and the form has said what the customer can do)."""
    account = slot_text(tracker.get_slot("account_verified"))
    return accounts.find_customer_by_email(session, account) if account else None


# the customer has no account ("i dont have an account, just want the emails")
_NO_ACCOUNT = re.compile(
    r"\b(?:do\s*n'?t|do\s+not|never|have\s*n'?t|have\s+not|did\s*n'?t|did\s+not)\s+(?:(?:even|actually|ever)\s+)?"
    r"(?:have|had|got|made|make|open|opened|create|created)\s+(?:an?\s+(?:\w+\s+)?account(?!\s+\w*mail)|one)\b"
    r"|\b(?:no|not\s+got\s+an?|without\s+an?)\s+account\b|\bnever\s+(?:registered|signed\s+up)\b",
    re.IGNORECASE)
_ACCOUNT_QUESTIONS = ("account_email", "account_postcode")


def tells_no_account(text: str) -> bool:
    """Whether the words say the customer has no account."""
    return _NO_ACCOUNT.search(text) is not None


class AccountProofForm(FormValidationAction):
    """A form that starts by proving the account (email, then postcode), like the contact
    form: no more questions once the conversation has used up its tries. A form whose task
    needs an account (`needs_an_account` says what to do instead) ends when the customer says
    they have none: "i dont have an account, just want the emails" where the newsletter asked
    the account's postcode was told it is no postcode, and asked again, three times (a
    customer run)."""

    @abstractmethod
    def name(self) -> Text:
        """Each form names itself (an abstract class is not registered as an action)."""

    async def required_slots(
        self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker,
        domain: DomainDict,
    ) -> List[Text]:
        if verification.is_locked(tracker):
            return []
        return domain_slots

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        # (told with the request, the request's action says it: actions/newsletter.py)
        if (tracker.get_slot("requested_slot") in _ACCOUNT_QUESTIONS and tells_no_account(typed_text(tracker))
                and self.needs_an_account(dispatcher)):
            # nothing checked or asked again: what the task needs instead, and the form ends
            return [*clear_proof(), SlotSet("requested_slot", None)]
        return await super().run(dispatcher, tracker, domain)

    def needs_an_account(self, dispatcher: CollectingDispatcher) -> bool:
        """For a form whose task needs an account: says what to do without one, and True."""
        return False

    async def extract_account_email(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """The address a password reset link went to in this conversation, when the form
        starts: "also can i change the email on my account?" right after the reset asked for
        that address again (a customer run). It is the customer's claim, as if typed: the
        postcode still proves the account."""
        reset_to = normalise_email(slot_text(tracker.get_slot(RESET_SENT_SLOT)))
        if (reset_to is None or tracker.get_slot("requested_slot") is not None or tracker.get_slot("account_email")
                or entity_values(tracker.latest_message, "email")):
            return {}
        dispatcher.utter_message(response="utter_account_email_from_the_reset", masked_email=mask_email(reset_to))
        return {"account_email": reset_to}

    def validate_account_email(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        return validated_email(value, tracker, dispatcher, "account_email")

    async def extract_account_postcode(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """A postcode told with the account email ("victoria.hughes@example.com and NW1 6XE"):
        it was asked again, and the new email typed next was checked as the postcode (3 of 3
        in a customer run)."""
        if tracker.get_slot("requested_slot") != "account_email" or tracker.get_slot("account_postcode"):
            return {}
        postcode = latest_entity(tracker, "postcode")
        told_with_one_email = len(entity_values(tracker.latest_message, "email")) == 1
        return {"account_postcode": postcode} if postcode and told_with_one_email else {}

    def validate_account_postcode(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        if not tracker.get_slot("account_email"):
            # told with an email that is no account's current one (a new email, or none): asked
            # again after it, never checked against nothing (a failed check counts)
            return {"account_postcode": None}
        return verify_account_postcode(value, dispatcher, tracker)


class ValidatePasswordResetForm(FormValidationAction):
    """The email to send the reset link to. An answer that is words rather than an address
    ("the reset email never arrives", "I don't know which email I used") is the customer
    telling us why the reset fails: it gets what to check and a way to a person, not only
    "that doesn't look like an email address" again."""

    def name(self) -> Text:
        return "validate_password_reset_form"

    async def extract_account_email(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        # ("can you reset my password …, email is alice.morgan@…" was asked for the address:
        # a customer run)
        return email_in_request(tracker, "reset_password")

    def validate_account_email(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        text = slot_text(value) or ""
        if (latest_entity(tracker, "email") is None and normalise_email(text) is None
                and _ABOUT_THE_RESET.search(text)):
            dispatcher.utter_message(response="utter_password_reset_help")
            return {"account_email": None}
        return validated_email(value, tracker, dispatcher, "account_email")


class ActionRequestPasswordReset(Action):
    """Queues a reset link; the answer is the same whether or not the account exists."""

    def name(self) -> Text:
        return "action_request_password_reset"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        email = normalise_email(slot_text(tracker.get_slot("account_email")))
        if email is not None:
            _send_reset_link(dispatcher, email, after_trouble=_links_said_not_to_arrive(tracker))
        return [SlotSet("account_email", None), SlotSet(RESET_SENT_SLOT, email)]


# the links said not to arrive already: "the reset email never comes", "not in spam either",
# "I've tried 3 times already"
_NOT_ARRIVING = re.compile(
    r"\b(?:never|not|(?:does|did|is|has|have|wo|do|ca)n'?t)\s+(?:\w+\s+){0,2}(?:arriv\w*|come|comes|came"
    r"|receiv\w*|get|got|show\w*|turn\w*\s+up)\b|\bnothing\s+(?:arrives|comes|came|arrived)\b"
    r"|\b(?:checked|not\s+in|nothing\s+in)\s+(?:the\s+|my\s+)?spam\b|\btried\s+\w+\s+times\b", re.IGNORECASE)
# the customer's messages read for it: the request and the answer with the address
_MESSAGES_READ = 2


def _links_said_not_to_arrive(tracker: Tracker) -> bool:
    """Whether the customer said, asking for this link, that the reset emails don't arrive
    ("forgot my password and the reset email never comes", then "… nothing arrives, not in
    spam either" got "Can't see it? Check your spam folder": a customer run)."""
    messages = [str(event.get("text") or "") for _, event in zip(range(_MESSAGES_READ),
                                                                  session_messages_newest_first(tracker))]
    return any(_NOT_ARRIVING.search(text) for text in messages)


def _send_reset_link(dispatcher: CollectingDispatcher, email: str, after_trouble: bool = False) -> None:
    """Queues a reset link (company.accounts: only to an account's own address, within the
    daily limit) and says so, the same words whether or not the account exists; to a customer
    whose links have not been arriving, with why that happens and a person offered."""
    with company_session() as session:
        accounts.request_password_reset(session, email, utcnow())
    dispatcher.utter_message(response="utter_password_reset_sent_after_trouble" if after_trouble
                             else "utter_password_reset_sent", masked_email=mask_email(email))


# the address the last reset link went to, for "it hasn't come through" and "send another"
RESET_SENT_SLOT = "password_reset_sent_to"
# the reset link asked for again: "can u send another", "resend it", "try again"
_SEND_AGAIN = re.compile(r"\b(?:send|sent)\b.*\b(?:another|again|new\s+one)\b|\bresend", re.I)
# a question about an order after all ("where is my order HG-…"): that goes to the order
# (not "is there a delivery delay on emails")
_ABOUT_AN_ORDER = re.compile(r"\b(?:my|the|an?)\s+(?:order|parcel|package)\b|\border\s+number\b|\bHG-?\s*\d",
                             re.I)
# the link found after all: "no need, found it in spam", "it's just come through"
_ARRIVED = re.compile(r"\b(?:found\s+it|got\s+it\s+now|(?:has|it'?s|its|just)\s+(?:arrived|come\s+through)"
                      r"|came\s+through|arrived\s+now)\b", re.I)
# the link came but does not open: "it says link expired?? i clicked it straight away" got
# "Sorry it hasn't come through" (a customer run)
_LINK_FAILED = re.compile(r"\b(?:expired?|invalid|not\s+valid|(?:does|did|do)\s*(?:n'?t|not)\s+work|not\s+working"
                          r"|won'?t\s+(?:work|open|load)|error|broken)\b", re.I)
# ... unless the words say it never came ("it didn't work, nothing came through")
_NOT_COME = re.compile(r"\b(?:nothing|nowt|no\s+sign|no\s+email|no\s+link|spam|junk"
                       r"|(?:has|have|did)\s*n'?t\s+(?:come|arrive|get|got|receive)|(?:has|have|did)\s+not\s+(?:come|arrive)"
                       r"|not\s+(?:come|arrived|received|got)|never\s+(?:came|come|arrived|got))", re.I)
# the link not there: "it hasnt come through", "still nothing", "checked junk too"
_NOT_ARRIVED = re.compile(r"\b(?:not|never|nothing|nowt|still|no\s+sign|spam|junk|hasn'?t|haven'?t|has\s+not"
                          r"|didn'?t|did\s+not|no\s+email|no\s+link|where)\b", re.I)


class ActionPasswordResetReply(Action):
    """The reply right after a reset link was sent. "it hasnt come through" and "still not
    got it" read as an order not arrived: the customer was asked for an order number, and
    "can u send another" was then no order number, a loop with no way out. Now: a link asked
    for again is sent again (the daily limit of company.accounts applies, the answer the
    same); a link not arriving gets what to check and a person; a question about an order
    goes to the order; another address given ("sorry, typed the wrong email, it's …") gets the
    link instead."""

    def name(self) -> Text:
        return "action_password_reset_reply"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        text = typed_text(tracker)
        email = normalise_email(slot_text(tracker.get_slot(RESET_SENT_SLOT)))
        intent = latest_intent(tracker)
        if _ABOUT_AN_ORDER.search(text) or latest_entity(tracker, "order_number"):
            return [SlotSet(RESET_SENT_SLOT, None),
                    SlotSet("order_task", order_task_of(intent, domain) or "status"),
                    FollowupAction("order_form")]
        corrected = normalise_email(latest_entity(tracker, "email"))
        if corrected is not None and corrected != email:
            _send_reset_link(dispatcher, corrected)  # "sorry typed the wrong email, its …"
            return [SlotSet(RESET_SENT_SLOT, corrected)]
        if email is None:
            dispatcher.utter_message(response="utter_password_reset_help")
            return []
        arrived = _ARRIVED.search(text) and not re.search(r"\b(?:not|never)\b|n'?t\b", text, re.I)
        if arrived or (intent == "deny" and not _NOT_ARRIVED.search(text)):
            dispatcher.utter_message(response="utter_ok_anything_else")  # "no thanks", "found it"
            return [SlotSet(RESET_SENT_SLOT, None)]
        if _SEND_AGAIN.search(text):
            _send_reset_link(dispatcher, email)
            return []
        if _LINK_FAILED.search(text) and not _NOT_COME.search(text):
            dispatcher.utter_message(response="utter_password_reset_link_failed")
            return []
        dispatcher.utter_message(response="utter_password_reset_not_arrived",
                                 masked_email=mask_email(email))
        return []


class ValidateContactForm(AccountProofForm):
    """Verifies the account (email and postcode on file) before any change is asked for, and
    reads the new value back before it is stored: a new email was changed at once, and a typo
    in it ("it should be gmail.com not gmial", after the change) was not understood."""

    def name(self) -> Text:
        return "validate_contact_form"

    async def required_slots(
        self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker,
        domain: DomainDict,
    ) -> List[Text]:
        if tracker.get_slot("contact_confirmed") == KEPT:
            # filled: the form ends, and the action after it says nothing changed
            return ["contact_confirmed"]
        return await super().required_slots(domain_slots, dispatcher, tracker, domain)

    async def get_extraction_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict,
    ) -> List[EventType]:
        """Besides the mappings: a "no" (or "leave it") where the account or the new value is
        asked ends the change, and at the read back a new value or a correction of the one
        read ("gmail not gmial") is the value to read back in its turn."""
        events = await super().get_extraction_events(dispatcher, tracker, domain)
        asked = tracker.get_slot("requested_slot")
        text = typed_text(tracker)
        if asked == "contact_confirmed":
            slots = self._told_at_the_read_back(tracker, text)
        elif asked in _CONTACT_FORM_SLOTS and self._gives_up(tracker, text):
            slots = {"contact_confirmed": KEPT}
        else:
            slots = {}
        for slot, value in slots.items():
            tracker.slots[slot] = value
        return events + [SlotSet(slot, value) for slot, value in slots.items()]

    @staticmethod
    def _gives_up(tracker: Tracker, text: str) -> bool:
        offers_a_value = any(entity_values(tracker.latest_message, kind)
                             for kind in ("email", "phone", "postcode"))
        said_no = latest_intent(tracker) == "deny" and not offers_a_value
        return said_no or (keeps_it_as_it_was(text) and not offers_a_value)

    @staticmethod
    def _told_at_the_read_back(tracker: Tracker, text: str) -> Dict[Text, Any]:
        if keeps_it_as_it_was(text):
            return {"contact_confirmed": KEPT}
        field = tracker.get_slot("contact_field")
        current = slot_text(tracker.get_slot("new_contact_value")) or ""
        if field == "phone":
            told = _phone_in(tracker, text) or corrected_phone(current, text)
        else:
            emails = entity_values(tracker.latest_message, "email")
            told = (normalise_email(emails[0]) if len(emails) == 1
                    else corrected_email(current, text))
        if told is None or told == current:
            return {}
        return {"new_contact_value": told, "contact_confirmed": None}

    def validate_account_email(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """The current address, unless the answer gives the new one: that is kept as the new
        email and the current one asked again, rather than failing the account check. Told
        both ("from alice@… to alice.m@…"), the current one is the first."""
        both = old_and_new_email(tracker.latest_message)
        if both is not None:
            return {"account_email": both[0]}
        new = self._told_as_the_new_email(tracker)
        if new is None:
            return super().validate_account_email(value, dispatcher, tracker, domain)
        dispatcher.utter_message(response="utter_new_email_kept", new_email=new)
        return {"account_email": None, "contact_field": "email", "new_contact_value": new}

    @staticmethod
    def _told_as_the_new_email(tracker: Tracker) -> Optional[str]:
        if tracker.get_slot("contact_field") not in (None, "email") or tracker.get_slot("new_contact_value"):
            return None
        both = old_and_new_email(tracker.latest_message)
        if both is not None:
            return both[1]
        emails = entity_values(tracker.latest_message, "email")
        words = _EMAIL_WORDS.sub(" ", tracker.latest_message.get("text") or "")
        if len(emails) != 1 or not _AS_THE_NEW_ONE.search(words):
            return None
        return normalise_email(emails[0])

    async def extract_contact_field(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """Takes the detail to change from the request itself ('change my phone number')."""
        if tracker.get_slot("contact_field") or latest_intent(tracker) != "update_contact_details":
            return {}
        field = _field_named_in(tracker.latest_message.get("text") or "")
        return {"contact_field": field} if field else {}

    async def extract_new_contact_value(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """The new phone number or email told with the request ("pls swap my phone number to
        07123 456789", "can u change my email to alice.m@…"): each was asked for again after the
        account check (2 of 2, 3 of 3 in customer runs); so were the new values told with the
        proof ("ben.okafor@…, new one is ben.ok@…", "alice.morgan@…. postcode LS6 2QT. new number
        is 07700 900123": a later run)."""
        requested = latest_intent(tracker) == "update_contact_details"
        if tracker.get_slot("new_contact_value") or not (
                requested or tracker.get_slot("requested_slot") in ("account_email", "account_postcode")):
            return {}
        text = tracker.latest_message.get("text") or ""
        phone = _phone_in(tracker, text)
        field = _field_named_in(text) or tracker.get_slot("contact_field")
        if phone is not None and field == "phone" and _AS_THE_NEW_ONE.search(text):
            return {"contact_field": "phone", "new_contact_value": phone}
        both = old_and_new_email(tracker.latest_message)
        new = self._told_as_the_new_email(tracker)
        # (a new address alone, told for the current one, is kept by validate_account_email)
        if new is None or not (requested or both is not None):
            return {}
        dispatcher.utter_message(response="utter_new_email_kept", new_email=new)
        current = {"account_email": both[0]} if both is not None and not tracker.get_slot("account_email") else {}
        return {"contact_field": "email", "new_contact_value": new, **current}

    def validate_contact_field(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        text = slot_text(value) or ""
        field = text if text in _FIELD_WORDS else _field_named_in(text)
        if field is None:
            dispatcher.utter_message(response="utter_contact_field_invalid")
        return {"contact_field": field}

    def validate_new_contact_value(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """A valid new value is read back before it is stored (the answer to an earlier read
        back is forgotten)."""
        if tracker.get_slot("contact_confirmed") == KEPT:
            # "leave it actually": the words are no value to check ("doesn't look like an email")
            return {"new_contact_value": None}
        field = tracker.get_slot("contact_field")
        if field == "phone":
            phone = normalise_phone(latest_entity(tracker, "phone") or slot_text(value))
            if phone is None:
                dispatcher.utter_message(response="utter_phone_invalid")
            told = phone
        else:
            told = validated_email(value, tracker, dispatcher, "new_contact_value")["new_contact_value"]
        if told is None:
            return {"new_contact_value": None}
        return {"new_contact_value": told, "contact_confirmed": None}

    def validate_contact_confirmed(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """"yes" stores the change; a "no" asks for the right value (utter_ask_new_contact_value
        says nothing changed), and "kept" ends the change."""
        if value == REFUSED:
            return {"contact_confirmed": REFUSED, "new_contact_value": None}
        return {"contact_confirmed": value if value in (CONFIRMED, KEPT) else None}


# how sure the model must be of another task asked with the words that leave a change
_OTHER_TASK_CONFIDENCE = 0.8


def task_asked_instead(tracker: Tracker, domain: DomainDict) -> List[EventType]:
    """What starts another task asked for with the words that leave the change: "leave it,
    actually I'll keep the old one for now. but I also forgot my password, how do i reset"
    left the email as it was, the reset was never started, and "hello?? password reset??"
    went to a person (a customer run). None for the change itself or a reading not sure."""
    read = tracker.latest_message.get("intent") or {}
    if read.get("name") in (None, "update_contact_details") or float(read.get("confidence") or 0.0) < _OTHER_TASK_CONFIDENCE:
        return []
    return topic_events(f"/{read['name']}", domain) or []


def old_and_new_email(message: Dict[str, Any]) -> Optional[Tuple[str, str]]:
    """The current and the new address of a message that tells both, the current first
    ("my email has changed from alice@… to alice.m@…"); None otherwise."""
    entities = [item for item in message.get("entities") or []
                if item.get("entity") == "email" and item.get("value")]
    text = message.get("text") or ""
    if len(entities) != 2 or any(item.get("start") is None or item.get("end") is None for item in entities):
        return None
    first, second = sorted(entities, key=lambda item: item["start"])
    between = text[first["end"]:second["start"]]
    old, new = normalise_email(str(first["value"])), normalise_email(str(second["value"]))
    if old is None or new is None or old == new or not _OLD_TO_NEW.match(between):
        return None
    return old, new


def _phone_in(tracker: Tracker, text: str) -> Optional[str]:
    """The UK phone number in the latest message, in international form, if any."""
    told = latest_entity(tracker, "phone")
    if told is None:
        found = _PHONE_TOLD.search(text)
        told = found.group(1) if found else None
    return normalise_phone(told)


def _field_named_in(text: str) -> Optional[str]:
    named = [field for field, pattern in _FIELD_WORDS.items() if pattern.search(text)]
    return named[0] if len(named) == 1 else None


class ActionUpdateContactDetails(Action):
    """Stores the new phone number or email on the verified account."""

    def name(self) -> Text:
        return "action_update_contact_details"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        cleared = [SlotSet(slot, None) for slot in (*_CONTACT_FORM_SLOTS, "account_verified")]
        account = slot_text(tracker.get_slot("account_verified"))
        field = tracker.get_slot("contact_field")
        value = slot_text(tracker.get_slot("new_contact_value"))
        if tracker.get_slot("contact_confirmed") == KEPT:
            # left before the account was proved: nothing to say but the usual offer
            asked = task_asked_instead(tracker, domain)
            if account and field:
                dispatcher.utter_message(response="utter_contact_unchanged")
            elif not asked:
                dispatcher.utter_message(response="utter_ok_anything_else")
            return cleared + asked
        if not account or not field or not value or tracker.get_slot("contact_confirmed") != CONFIRMED:
            return cleared
        with company_session() as session:
            customer = accounts.find_customer_by_email(session, account)
            if customer is None:
                return cleared
            try:
                stored = accounts.update_contact_detail(session, customer, field, value, utcnow())
            except accounts.EmailInUse:
                dispatcher.utter_message(response="utter_email_in_use")
            except accounts.InvalidContactValue:
                dispatcher.utter_message(
                    response="utter_phone_invalid" if field == "phone" else "utter_email_invalid"
                )
            else:
                dispatcher.utter_message(response="utter_contact_updated", new_value=stored)
        return cleared
