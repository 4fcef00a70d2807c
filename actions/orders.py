"""Identifying an order, its status, cancelling it and sending its invoice."""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import verification
from actions.arrivals import tell_arrival_against_deadline
from actions.company_db import company_session
from actions.confirmation_replies import asks_a_question, confirmation_answer
from actions.help_centre import answer_from_help_centre, answer_with_passage_headed
from actions.sections_asked import heading_asked_for
from actions.named_products import product_missing_from
from actions.new_details import is_told_as_new, new_in_message, told_as_new
from actions.refunds import tell_refund_status
from actions.resumed_tasks import order_of_the_task_resumed
from actions.tracker_reading import (entity_values, latest_entity, message_intent, message_read,
                                    request_words, said_before_latest_message, said_since_previous_message, session_messages_newest_first,
                                    slot_before_latest_message, slot_text, typed_text)
from actions.proof_questions import asks_why_proof
from actions.posted_returns import says_it_was_posted_back
from actions.order_choices import order_chosen_by_position
from actions.phrasing import format_day, format_items, order_total
from actions.plan_endings import (ends_a_plan, names_a_plan_to_end, refund_asked_after_a_plan_ending,
                                   tell_how_to_end_a_plan)
from actions.some_items import has_several_items, wants_only_some
from company import orders as order_service
from handoff.escalation import PREVIOUS_TOPIC_OFFER
from company import policies
from ground.clock import utcnow
from company.identifiers import find_order_numbers, mask_email, normalise_order_number, normalise_postcode
from company.identity_checks import ORDER
from company.models import Order, OrderStatus
from company.money import format_pence
from handoff.follow_ups import about_another_order
from handoff.gifts import received_as_a_gift

# Which response explains a refused change, by the order's status.
_TOO_LATE_RESPONSES = {
    "address": {
        OrderStatus.SHIPPED: "utter_address_change_shipped",
        OrderStatus.DELIVERED: "utter_address_change_delivered",
    },
    "cancel": {
        OrderStatus.SHIPPED: "utter_cancel_shipped",
        OrderStatus.DELIVERED: "utter_cancel_delivered",
    },
}
_CLOSED_RESPONSES = {"address": "utter_address_change_closed", "cancel": "utter_cancel_closed"}
# a delivered order is not cancelled but returned; when it cannot be returned either, why
_NO_RETURN_INSTEAD = {"window_closed": "utter_cancel_delivered_window_closed",
                      "already_returned": "utter_cancel_delivered_already_returned"}
# every answer that says a change can no longer be made (actions.fallback answers "so what
# can I do then?" after one)
REFUSALS = frozenset({*(r for by_status in _TOO_LATE_RESPONSES.values() for r in by_status.values()),
                      *_CLOSED_RESPONSES.values(), *_NO_RETURN_INSTEAD.values()})
# "i dont know the order number", "where do I find it": where it is, not "that doesn't look
# like one of our order numbers"
_NO_NUMBER = re.compile(
    r"\b(?:don'?t|do\s+not|can'?t|cannot|couldn'?t|not\s+sure|no\s+idea|lost|forgot(?:ten)?"
    r"|haven'?t\s+got|where\s+(?:do|can|would)\s+i\s+find"
    # "what's an order number love?", "where would it be?" (a customer run: "That doesn't look
    # like one of our order numbers", and a warranty article)
    r"|what(?:'?s|\s+is)\s+(?:an|the|a|my)\s+order\s+(?:number|no)|where\s+(?:is|would|will|could)\s+(?:it|that|the\s+number)"
    r"|which\s+number|what\s+number|number\s+on\s+the\s+(?:parcel|box|package|receipt|label)"
    # "which parcel do you mean? i only have one order" (a customer run: "That doesn't look like
    # one of our order numbers")
    r"|which\s+(?:parcel|package|order|one)\s+do\s+(?:you|u)\s+mean|what\s+do\s+(?:you|u)\s+mean"
    r"|only\s+(?:have|had|got|made|placed)\s+(?:one|1)\s+order"
    r"|how\s+(?:would|do|should)\s+i\s+know|hg\s+thing|(?:haven'?t|havent|have\s+not|don'?t\s+have)\s+(?:got\s+)?(?:a|an|the)\s+(?:order\s+)?number"
    r"|never\s+(?:got|received|had)\s+(?:an?\s+|the\s+)?(?:email|e-mail|number|confirmation))\b", re.IGNORECASE)
# "send the invoice to a different email": invoices go only to the account's own address
# an invoice wanted in a company's name or with its VAT number: the one issued is re-sent as it
# is, and only a person can re-issue it
_FOR_A_COMPANY = re.compile(r"\bVAT\b|\b(?:my|our|the)\s+(?:company|business|firm)\b|\bltd\b|\blimited\b"
                            r"|\bmade\s+out\s+to\b|\bin\s+the\s+name\s+of\b|\bcompany\s+name\b", re.IGNORECASE)


def wants_the_invoice_for_a_company(text: str) -> bool:
    """Whether the words want an invoice in a company's name or with its VAT number."""
    return _FOR_A_COMPANY.search(text or "") is not None


_ANOTHER_ADDRESS = re.compile(
    r"\b(different|another|other|new|work|personal|second|alternative|business)\s+"
    r"(e-?mail|address|inbox)\b", re.IGNORECASE)


# which email proves the order, asked where it is asked for: "which email, my work one or
# personal?" was answered with the shop's contact channels (a customer run)
_WHICH_EMAIL = re.compile(
    r"\bwhich\s+(?:e-?mail|address|one)\b|\bwhat\s+e-?mail\b"
    r"|\b(?:work|personal|old|new|home)\s+(?:one|e-?mail)\s+or\b", re.IGNORECASE)

# a task named beside the proof asked for is that task only when the model is this sure of it
_SURE_OF_ANOTHER_TASK = 0.9


def _task_kept_with_proof(tracker: Tracker) -> Optional[str]:
    """The order's task before the latest message, when that message gave the proof asked for
    and only the model's reading of it changed the task: "sorry wrong one, thats my old
    address. LS6 2QT", where the status of an order was being checked, was read as an address
    change (0.76), and the change started (a customer run). None: the task stands."""
    confidence = float(((tracker.latest_message or {}).get("intent") or {}).get("confidence") or 0.0)
    if confidence >= _SURE_OF_ANOTHER_TASK:
        return None
    before = slot_before_latest_message(tracker, "order_task")
    now = tracker.get_slot("order_task")
    return before if before and now and before != now else None


class ValidateOrderForm(FormValidationAction):
    """Takes an order number and checks the customer's email or postcode against the order.

    A well-formed number is accepted whether or not such an order exists, and a failed
    check reads the same either way (actions.verification), so that the form cannot be
    used to find out which order numbers exist.
    """

    def name(self) -> Text:
        return "validate_order_form"

    async def required_slots(
        self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker,
        domain: DomainDict,
    ) -> List[Text]:
        if _plan_ending_asked(tracker) or refund_asked_after_a_plan_ending(tracker):
            # no order to ask for: action_check_cancellation says how to end the plan, and
            # action_refund_status what the month paid becomes
            return []
        return domain_slots

    async def get_extraction_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict,
    ) -> List[EventType]:
        """Where the proof is asked, a question about which email address it means is
        answered, and the proof asked again; a proof of the order asked about, given with a
        question about another order, proves the order asked about."""
        events = await super().get_extraction_events(dispatcher, tracker, domain)
        text = typed_text(tracker)
        if (tracker.get_slot("requested_slot") is None and about_another_order(text)
                and not latest_entity(tracker, "order_number") and tracker.get_slot("order_number")):
            # "cancel the other order please" right after an order's status was asked to
            # cancel the order just talked about (3 of 3 in a customer run): which order, then
            # its own proof
            cleared = {"order_number": None, "order_verifier": None, "email": None, "postcode": None}
            tracker.slots.update(cleared)
            return events + [SlotSet(name, value) for name, value in cleared.items()]
        other = _other_order_beside_proof(tracker, text)
        if other is not None and slot_text(tracker.get_slot("order_number")) != other[0]:
            asked, named = other
            dispatcher.utter_message(response="utter_other_order_after", order_number=asked,
                                     other_order=named)
            tracker.slots["order_number"] = asked
            return events + [SlotSet("order_number", asked)]
        proof_given = "@" in text or latest_entity(tracker, "postcode") is not None
        asked_for_proof = tracker.get_slot("requested_slot") == "order_verifier"
        if asks_why_proof(text) and tracker.get_slot("requested_slot") is None:
            # "why do u need my email?? i just want to know where my order is HG-…" opened the
            # form with the proof question, its own question unanswered (a customer run); once
            # the form asks anything, bot/policies/proof_questions.py answers it (here as well,
            # "why do you need that?" to the order number's question was answered twice)
            dispatcher.utter_message(response="utter_why_proof")
            return events
        if asked_for_proof and _WHICH_EMAIL.search(text) and not proof_given:
            dispatcher.utter_message(response="utter_which_email_proves_the_order")
            # the proof set to nothing keeps the form from being rejected: it asks again
            return events + [SlotSet("order_verifier", None)]
        return events

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        """The form's validation, and the order's task kept where the proof was given
        (`_task_kept_with_proof`; a slot the form does not ask for, so set here: the SDK
        returns only the asked slots' events)."""
        proof_given = "@" in typed_text(tracker) or latest_entity(tracker, "postcode") is not None
        # (asked before the message: the validation's own tracker asks nothing once the proof
        # the message gave fills the slot)
        asked = slot_before_latest_message(tracker, "requested_slot") == "order_verifier"
        kept = _task_kept_with_proof(tracker) if proof_given and asked else None
        events = await super().run(dispatcher, tracker, domain)
        return events + ([SlotSet("order_task", kept)] if kept is not None else [])

    def validate_order_number(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        # "ok back to the address change": the order that change was asked for, not the last
        # one named (actions/resumed_tasks.py)
        # "the first one" to "Which one shall we start with?" (actions/order_choices.py)
        chosen = order_chosen_by_position(tracker)
        number = order_of_the_task_resumed(tracker) or chosen or normalise_order_number(slot_text(value))
        if number is None:
            # an email or postcode given first is kept (the email and postcode slots) and
            # proves the order once its number comes, so it is not asked for again
            proof = latest_entity(tracker, "email") or latest_entity(tracker, "postcode")
            # ... unless a mistyped number came with it ("HG10002 alice@…"): that is said
            rest = (slot_text(value) or "").replace(proof or "", "")
            no_digits = not any(character.isdigit() for character in rest)
            if proof and no_digits:
                dispatcher.utter_message(response="utter_order_number_after_proof")
            elif value is None:
                pass  # cleared for another order ("what about the other one?"): the form asks
            elif no_digits and _NO_NUMBER.search(rest):
                dispatcher.utter_message(response="utter_order_number_where")
            elif no_digits and answer_from_help_centre(dispatcher, tracker):
                # a question of its own, which the help centre answers: "do you do gift
                # wrapping btw" where the number was asked got "That doesn't look like one of
                # our order numbers" (a customer run); the form asks for the number again
                pass
            else:
                dispatcher.utter_message(response="utter_order_number_invalid")
            return {"order_number": None}
        named = [] if chosen else _orders_named_with(tracker, number)
        if len(named) == 1 and _other_order_beside_proof(tracker, typed_text(tracker)) is None:
            number = named[0]  # "cancel HG-100001, not HG-100005": the slot took the last one
        if len(named) > 1:
            # "please cancel HG-100103. also, any news on HG-100174?": the task went to the
            # last number named, and its confirmation offered to cancel the wrong order;
            # action_ask_order_number asks which
            return {"order_number": None, "order_choices": ",".join(named)}
        checks = verification.identity_checks()
        with company_session() as session:
            order = order_service.find_order(session, number)
            if order is not None and tracker.get_slot("verified_order") == number:
                return {"order_number": number, "order_verifier": verification.VERIFIED,
                        "customer_vip": order.customer.is_vip}
            owner = order.customer_id if order is not None else None
            if verification.refused(tracker, dispatcher, checks, ORDER, number, owner):
                return {"order_number": number, "order_verifier": verification.LOCKED}
            claims, cleared = _proof_claims(tracker)
            if _CORRECTS_THE_NUMBER.search(typed_text(tracker)):
                # ("and HG-…?" after a mismatch asks about another order: not tried with it)
                claims += [claim for claim in verification.proof_for_the_order_meant(tracker) if claim not in claims]
            if order is not None and (any(order_service.matches_order_owner(order, claim) for claim in claims)
                                      or verification.proof_carried_over(tracker, session, order)):
                return {"order_number": number, "order_verifier": verification.VERIFIED,
                        "verified_order": number, "customer_vip": order.customer.is_vip}
            guesses = [claim for claim in claims
                       if claim not in verification.proven_claims(tracker, session, claims)]
        if not guesses:
            return {"order_number": number, "order_verifier": None, **cleared}
        # details given with the number (or earlier) that do not match count as a guess
        outcome = verification.record_failed_check(
            tracker, dispatcher, verification.MISMATCH_RESPONSE, checks, ORDER, number, owner)
        return {"order_number": number, "email": None, "postcode": None,
                **_after_failure(outcome)}

    def validate_order_verifier(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        if value is None:  # a question about which email (get_extraction_events)
            return {"order_verifier": None}
        number = slot_text(tracker.get_slot("order_number")) or ""
        if tracker.get_slot("order_verifier") == verification.VERIFIED and verification.proved(tracker, number):
            # the order number of this same message was just proved (validate_order_number:
            # the detail told for the order before the one meant); the message's words, taken
            # as the proof asked for, are not checked again
            return {"order_verifier": verification.VERIFIED}
        if value == verification.VERIFIED:
            # the proof of an order named earlier, which the form validates again when the
            # customer names another one: that one's proof is asked for
            return {"order_verifier": value if verification.proved(tracker, number) else None}
        if value == verification.LOCKED:
            return {"order_verifier": value}
        checks = verification.identity_checks()
        with company_session() as session:
            order = order_service.find_order(session, number)
            owner = order.customer_id if order is not None else None
            if verification.refused(tracker, dispatcher, checks, ORDER, number, owner):
                return {"order_verifier": verification.LOCKED}
            claims, cleared = _proof_claims(tracker, slot_text(value))
            if cleared and not claims:
                return {"order_verifier": None, **cleared}
            if not verification.offers_proof(claims):
                # the message naming this order ("wrong one, HG-…") is no failed attempt at a
                # proof: the form asks for it next (it said "I didn't see an email address"
                # at every switch of order)
                if number not in verification.named_orders(tracker.latest_message):
                    dispatcher.utter_message(response="utter_proof_not_seen")
                return {"order_verifier": None}
            if order is not None and any(order_service.matches_order_owner(order, claim)
                                         for claim in claims):
                return {"order_verifier": verification.VERIFIED, "verified_order": order.number,
                        "customer_vip": order.customer.is_vip}
        outcome = verification.record_failed_check(
            tracker, dispatcher, verification.MISMATCH_RESPONSE, checks, ORDER, number, owner)
        return {"email": None, "postcode": None, **_after_failure(outcome)}


# another order asked about beside the proof ("BS8 1TH. also wheres my other order HG-…"),
# not a correction of the order number ("sorry, wrong one: HG-…, NW1 6XE")
_ANOTHER_ORDER = re.compile(r"\b(?:also|other|another|second|btw|as\s+well|too)\b", re.IGNORECASE)
_CORRECTS_THE_NUMBER = re.compile(r"\b(?:sorry|wrong|meant|mean|not|actually|instead|mistake|typo|oops)\b",
                                  re.IGNORECASE)


def _other_order_beside_proof(tracker: Tracker, text: str) -> Optional[tuple[str, str]]:
    """(the order whose proof was asked, the other order named) when the customer gives that
    order's proof and asks about another in the same message. The other number took the
    order's place: the proof was checked against it (a failed guess, or, where two customers
    share a postcode, another customer's invoice sent), and the request was lost."""
    if tracker.get_slot("requested_slot") != "order_verifier":
        return None
    asked = normalise_order_number(slot_text(slot_before_latest_message(tracker, "order_number")))
    named = verification.named_orders(tracker.latest_message)
    if (asked is None or not named or asked in named or not _ANOTHER_ORDER.search(text)
            or _CORRECTS_THE_NUMBER.search(text)):
        return None
    claims, _ = _proof_claims(tracker)
    with company_session() as session:
        order = order_service.find_order(session, asked)
        proves = order is not None and any(order_service.matches_order_owner(order, claim) for claim in claims)
    return (asked, named[-1]) if proves else None


def _orders_named_with(tracker: Tracker, number: str) -> List[str]:
    """The orders meant by the latest message that named `number`: the latest message, or
    an earlier one when the number came from it ("pls cancel HG-… oh and has HG-… shipped?",
    not understood, then the "Cancel an order" button)."""
    for latest, event in enumerate(session_messages_newest_first(tracker)):
        if entity_values(event.get("parse_data") or {}, "order_number"):
            named = verification.named_orders(message_read(event))
            # an earlier message counts only where the number came from it
            return named if latest == 0 or number in named else []
    return []


def returns_a_gift(tracker: Tracker) -> bool:
    """Whether the order looked up is for the return of a gift, asked by the person who
    received it: "i got this as a present and want to return it, i don't have the order
    number" was told the number is in "your order confirmation email" (a customer run)."""
    return (tracker.get_slot("order_task") == "return"
            and received_as_a_gift(request_words(tracker, "start_return", "")))


class ActionAskOrderNumber(Action):
    """The order form's question for the order number: which of the orders one message
    named the task is for, with a button for each, or the plain question."""

    def name(self) -> Text:
        return "action_ask_order_number"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        choices = [c for c in (slot_text(tracker.get_slot("order_choices")) or "").split(",") if c]
        if len(choices) < 2:
            dispatcher.utter_message(response="utter_ask_order_number_gift" if returns_a_gift(tracker)
                                     else "utter_ask_order_number")
            return []
        dispatcher.utter_message(response="utter_which_order", orders=" and ".join(choices),
                                 buttons=[{"title": n, "payload": n} for n in choices])
        return [SlotSet("order_choices", None)]


def _proof_claims(tracker: Tracker, typed: Optional[str] = None) -> tuple[List[str], Dict[Text, Any]]:
    """The emails and postcodes offered as proof, and the proof slots to empty of a detail told
    as new (actions/new_details.py): a new address's postcode ("change the address for HG-…
    to 12 Park Road, Leeds, LS1 2CD") or an email to send something to proves nothing and is
    no failed guess (each was counted towards the lock). One told earlier in the session is
    still a claim when typed as the answer to the proof question."""
    claims = verification.identity_claims(tracker, typed)
    latest = tracker.latest_message or {}
    new_here = new_in_message(str(latest.get("text") or ""), (latest.get("intent") or {}).get("name"))
    new = told_as_new(tracker)
    left = [claim for claim in claims
            if is_told_as_new(claim, new_here) or (claim != typed and is_told_as_new(claim, new))]
    cleared: Dict[Text, Any] = {}
    for claim in left:
        cleared["postcode" if normalise_postcode(claim) else "email"] = None
    return [claim for claim in claims if claim not in left], cleared


def _after_failure(outcome: Dict[str, Any]) -> Dict[Text, Any]:
    """The form's slots after a failed check: ask again, or stop (locked, handed over)."""
    slots: Dict[Text, Any] = {
        "order_verifier": verification.LOCKED if outcome["locked"] else None,
        "verification_failures": outcome["verification_failures"],
    }
    if "handoff_ticket" in outcome:
        slots["handoff_ticket"] = outcome["handoff_ticket"]
    return slots


class ActionProofWithoutATask(Action):
    """An email address or a postcode typed where nothing asked for one. When the customer
    named an order that is not proved yet, it is that order's proof (kept in the slots for
    the check) and the order's options are offered: "the Cove speaker from order HG-… is
    faulty", then the postcode at "Did you mean one of these?", lost the order and the request
    for a menu about passwords and newsletters (17 times in a customer run). Otherwise the
    customer is asked what it is for."""

    def name(self) -> Text:
        return "action_proof_without_a_task"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        number = normalise_order_number(slot_text(tracker.get_slot("order_number")) or "")
        if number is None or verification.proved(tracker, number):
            dispatcher.utter_message(response="utter_ask_details_for_what")
            return []
        dispatcher.utter_message(response="utter_proof_kept")
        dispatcher.utter_message(response="utter_order_options", order_number=number)
        return []


# the customer's money asked about, not the parcel ("where's my money for HG-…", "still
# waiting on my money back, order HG-…"); not "where is HG-…? I paid the money 2 weeks ago"
_ASKS_FOR_THE_MONEY = re.compile(
    r"\bwhere(?:'s|s|\s+is)\s+(?:my|the|our)\s+(?:money|cash|refund)\b|\b(?:my|the|our)\s+money\s+back\b"
    r"|\bwhere(?:'s|s|\s+is)\s+(?:my|the)\s+money\b", re.IGNORECASE)


# the order just told about was placed at another time than the customer's ("thats odd, i
# ordered it last week, not october" after a status of October got that status again: a
# customer run), or is not theirs in their words: another order, whose number is asked
_ORDERED_AT_ANOTHER_TIME = re.compile(
    r"\b(?:i|we)\s+(?:only\s+|just\s+)?(?:ordered|placed|bought|made)\s+(?:it|this|that|mine|one|them|the\s+order"
    r"|my\s+order|an\s+order)?\s*(?:last\s+(?:week|weekend|night|month|\w+day)|yesterday|this\s+(?:week|month|morning)"
    r"|(?:a\s+)?(?:few|couple\s+of|\d+)\s+days\s+ago|recently|on\s+\w+day)\b"
    r"|\bnot\s+(?:in\s+)?(?:january|february|march|april|may|june|july|august|september|october|november|december)\b"
    r"|\b(?:that'?s|thats|this\s+is|it'?s|its)\s+not\s+(?:my|the\s+right|the)\s+(?:order|one)\b",
    re.IGNORECASE)


# what an order's status is told with
_STATUS_RESPONSES = frozenset({"utter_order_status_placed", "utter_order_status_processing", "utter_order_status_shipped",
                               "utter_order_status_shipped_again", "utter_order_status_late",
                               "utter_order_status_very_late", "utter_order_status_delivered",
                               "utter_order_status_cancelled", "utter_order_status_returned"})


def _another_order_meant(tracker: Tracker, order: Order) -> bool:
    """Whether, right after this order's status, the customer says they ordered at another
    time or that it is not their order, naming no number."""
    said = said_before_latest_message(tracker)
    told = (said is not None and order.number in find_order_numbers(str(said.get("text") or ""))
            and (said.get("metadata") or {}).get("utter_action") in _STATUS_RESPONSES)
    text = str(tracker.latest_message.get("text") or "")
    return told and not find_order_numbers(text) and _ORDERED_AT_ANOTHER_TIME.search(text) is not None


class ActionOrderStatus(Action):
    """Tells a verified customer where their order is, from the order and its shipment."""

    def name(self) -> Text:
        return "action_order_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        with company_session() as session:
            order = verification.verified_order(tracker, session)
            if order is None:
                return []
            if _another_order_meant(tracker, order):
                dispatcher.utter_message(response="utter_order_placed_other_time", order_number=order.number,
                                         placed=format_day(order.placed_at.date()))
                return verification.check_order_instead(None, "status")
            words = request_words(tracker, "order_status", order.number)
            if _ASKS_FOR_THE_MONEY.search(words):
                # "where's my money for HG-…" (order_status to the model) got the delivery
                # (3 of 3 in a customer run): the refund's status answers it
                return tell_refund_status(dispatcher, tracker)
            response, details = _status_response(order)
            if response == "utter_order_status_shipped" and _status_just_told(tracker, order.number):
                # "when will it actually arrive tho?" right after it got the same status again,
                # word for word (a customer run)
                response = "utter_order_status_shipped_again"
            dispatcher.utter_message(
                response=response, order_number=order.number, items=format_items(order),
                **details,
            )
            tell_arrival_against_deadline(dispatcher, session, order, words, utcnow().date())
            waiting = _cancellation_waiting(tracker)
            if waiting == order.number and policies.cancellation_decision(order).allowed:
                # "hmm actually when would it arrive if i keep it?" asked where the cancellation
                # was to be confirmed: the question is asked again, or "ok nah cancel it then"
                # got "No problem. Is there anything else I can help with?" and nothing cancelled
                return [FollowupAction("action_check_cancellation")]
            if waiting is not None and waiting != order.number:
                # another order's status asked there: its answer ended the cancellation without
                # a word, and the next "yes" was not understood
                dispatcher.utter_message(response="utter_cancellation_left_open", order_number=waiting)
                return [SlotSet("cancel_allowed", None)]
        return []


def _status_just_told(tracker: Tracker, number: str) -> bool:
    """Whether the assistant's last words before the latest message were this order's status
    on its way."""
    said = said_before_latest_message(tracker)
    return (said is not None and (said.get("metadata") or {}).get("utter_action") == "utter_order_status_shipped"
            and number in find_order_numbers(str(said.get("text") or "")))


_CANCEL_QUESTIONS = frozenset({"utter_ask_confirm_cancel", "utter_ask_confirm_cancel_several"})


def _cancellation_waiting(tracker: Tracker) -> Optional[str]:
    """The order whose cancellation the assistant asked the customer to confirm, while the
    question is still waiting for its answer: asked right before the latest message. (After
    "could i just change the delivery address instead?" there, the address changed, "when will
    it arrive?" got the cancellation asked again: a customer run.)"""
    if tracker.get_slot("cancel_allowed") is not True or not set(said_since_previous_message(tracker)) & _CANCEL_QUESTIONS:
        return None
    for event in reversed(tracker.events):
        if event.get("event") == "bot":
            said = (event.get("metadata") or {}).get("utter_action")
            if said in _CANCEL_QUESTIONS:
                named = find_order_numbers(str(event.get("text") or ""))
                return named[0] if named else None
    return None


def _status_response(order: Order) -> tuple[str, Dict[str, str]]:
    shipment = order.shipment
    if order.status in (OrderStatus.SHIPPED, OrderStatus.DELIVERED) and shipment is not None:
        details = {
            "carrier": shipment.carrier,
            "tracking_number": shipment.tracking_number,
            "eta": format_day(shipment.estimated_delivery),
        }
        if order.status == OrderStatus.DELIVERED and shipment.delivered_at is not None:
            details.update(delivered_date=format_day(shipment.delivered_at),
                           postcode=order.ship_postcode)
            return "utter_order_status_delivered", details
        today = utcnow().date()
        if policies.parcel_well_overdue(order, today):
            # "most late parcels arrive within two working days; if not, our team will chase"
            # was said three days after that, with nobody chasing
            return "utter_order_status_very_late", details
        late = shipment.estimated_delivery < today
        return ("utter_order_status_late" if late else "utter_order_status_shipped"), details
    if order.status == OrderStatus.CANCELLED and order.cancelled_at is not None:
        return "utter_order_status_cancelled", {"cancelled_date": format_day(order.cancelled_at)}
    if order.status == OrderStatus.RETURNED:
        return "utter_order_status_returned", {}
    if order.status == OrderStatus.PROCESSING:
        return "utter_order_status_processing", {}
    return "utter_order_status_placed", {"placed_date": format_day(order.placed_at)}


def explain_refusal(dispatcher: CollectingDispatcher, change: str, order: Order) -> None:
    """Says why an address change or cancellation is not possible for this order."""
    response = _TOO_LATE_RESPONSES[change].get(order.status, _CLOSED_RESPONSES[change])
    if change == "cancel" and order.status == OrderStatus.DELIVERED:
        # the refusal offers a return instead: only when the order can still be returned
        refused = policies.return_decision(order, utcnow())
        response = _NO_RETURN_INSTEAD.get(refused.reason, response) if not refused.allowed else response
    tracking = order.shipment.tracking_number if order.shipment else ""
    dispatcher.utter_message(
        response=response, order_number=order.number, tracking_number=tracking,
        window_days=policies.RETURN_WINDOW_DAYS,
    )


class ActionCheckCancellation(Action):
    """Asks for confirmation when the order can still be cancelled, explains otherwise."""

    def name(self) -> Text:
        return "action_check_cancellation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        with company_session() as session:
            if _plan_ending_asked(tracker):
                # before any order: one proved earlier ("where is HG-…", then "cancel plus")
                # was offered for cancellation
                tell_how_to_end_a_plan(dispatcher, session)
                return [SlotSet("cancel_allowed", False)]
            order = verification.verified_order(tracker, session)
            if order is None:
                return [SlotSet("cancel_allowed", False)]
            if not policies.cancellation_decision(order).allowed:
                explain_refusal(dispatcher, "cancel", order)
                return [SlotSet("cancel_allowed", False)]
            request = request_words(tracker, "cancel_order", order.number)
            missing = product_missing_from(tracker, session, order, request)
            if missing is not None:
                # "can i cancel my order HG-…? ordered the wrong colour kettle", of an order with
                # no kettle, was asked "Are you sure you want to cancel the whole order?" (a
                # customer run): the wrong order, one "yes" from cancelled
                dispatcher.utter_message(response="utter_product_not_in_order", order_number=order.number,
                                         product=missing, items=format_items(order))
                return [SlotSet("cancel_allowed", False)]
            if _only_some_of(order, request):
                return _only_some_explained(dispatcher, order)
            _ask_to_cancel(dispatcher, order)
        return [SlotSet("cancel_allowed", True)]


# a question about what cancelling costs or when the money comes back, asked where the
# cancellation is to be confirmed
# ("if I cancel do I lose the Harbor Club discount I used on it?" was read as a no, and the
# order kept: a customer run. The answer says the full amount paid goes back)
_ASKS_ABOUT_THE_COST = re.compile(r"\b(?:charge[ds]?|fee|fees|cost|costs|pay|free|refund\w*|money\s+back"
                                  r"|lose|discount\w*|voucher\w*|promo)\b",
                                  re.IGNORECASE)


def _plan_ending_asked(tracker: Tracker) -> bool:
    """Whether the cancellation asked for is a Harbor Club plan's ("ok how do i cancel plus",
    or "cancel it" right after the plans), in words that name no order: the order form asked
    for an order number, and a customer who gave one lost a £437 order."""
    if tracker.get_slot("order_task") != "cancel":
        return False
    request = request_words(tracker, "cancel_order", "")  # empty when it named an order
    return names_a_plan_to_end(request) or (ends_a_plan(request) and _right_after_the_plans(tracker))


# what the plans are asked about with ("how do i cancel harbor club, i didnt mean to sign up
# for the trial" is the free trial's, and "yes but HOW do i cancel it" after it asked for an
# order number: a customer run)
_ABOUT_THE_PLANS = frozenset({"ask_plans", "ask_free_trial"})
_NOT_UNDERSTOOD = frozenset({"nlu_fallback", "out_of_scope"})
_PLANS_TURNS_BACK = 3


def _readings_newest_first(tracker: Tracker) -> List[Optional[str]]:
    """The intents of the session's messages, the latest first; a message answered by asking
    whether it went on with the topic before ("how much is it" after the plans, ask_product
    with no product) as not understood."""
    readings: List[Optional[str]] = []
    offered = False
    for event in reversed(tracker.events):
        if event.get("event") == "session_started":
            break
        if event.get("event") == "bot" and (event.get("metadata") or {}).get("utter_action") == PREVIOUS_TOPIC_OFFER:
            offered = True
        elif event.get("event") == "user":
            readings.append("nlu_fallback" if offered else message_intent(event))
            offered = False
    return readings


def _right_after_the_plans(tracker: Tracker) -> bool:
    """Whether the customer's message before the latest cancellation request asked about the
    plans."""
    intents = _readings_newest_first(tracker)
    if "cancel_order" not in intents:
        return False
    # a question about the plans not understood in between is still about them ("whats harbor
    # club", "how much is it" (not understood), "can i cancel anytime" asked for an order
    # number: a customer run)
    earlier = [intent for intent in intents[intents.index("cancel_order") + 1:][:_PLANS_TURNS_BACK]
               if intent not in _NOT_UNDERSTOOD]
    return bool(earlier) and earlier[0] in _ABOUT_THE_PLANS


def _only_some_of(order: Order, text: str) -> bool:
    """Whether the words ask to cancel only some of the order's several items."""
    return has_several_items(order) and wants_only_some(text)


def _only_some_explained(dispatcher: CollectingDispatcher, order: Order) -> List[EventType]:
    """A cancellation takes the whole order (the items of an order are never changed:
    company/policies.py): "cancel just one item, not the whole thing" was asked to confirm the
    whole order's cancellation without a word about it, and "just the lamp" asked again, until
    a "yes" cancelled all of it. The customer is told so, and what they can do, then asked."""
    dispatcher.utter_message(response="utter_cancel_only_some", order_number=order.number,
                             window_days=policies.RETURN_WINDOW_DAYS)
    _ask_to_cancel(dispatcher, order)
    return [SlotSet("cancel_allowed", True)]


_KEEPS = re.compile(r"\b(?:keep|leave)\b", re.IGNORECASE)


def _ask_to_cancel(dispatcher: CollectingDispatcher, order: Order) -> None:
    # an order of several items: the question says a cancellation takes them all
    response = "utter_ask_confirm_cancel_several" if has_several_items(order) else "utter_ask_confirm_cancel"
    dispatcher.utter_message(response=response, order_number=order.number,
                             items=format_items(order), total=order_total(order))


def _cancel_verified(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    with company_session() as session:
        order = verification.verified_order(tracker, session)
        if order is not None:
            try:
                order_service.cancel_order(session, order, utcnow())
            except order_service.NotAllowed:
                explain_refusal(dispatcher, "cancel", order)
            else:
                dispatcher.utter_message(
                    response="utter_order_cancelled", order_number=order.number,
                    total=order_total(order),
                )
    return [SlotSet("cancel_allowed", None)]


# an address change asked instead of the cancellation: "hmm wait actually dont cancel, can i
# just change the address instead?" kept the order, and the change was never offered (a
# customer run)
_ADDRESS_INSTEAD = re.compile(
    r"\b(?:change|update|correct|fix|edit|swap)\s+(?:the\s+|my\s+|its\s+|it'?s\s+)?(?:delivery\s+|shipping\s+)?address\b"
    r"|\b(?:send|deliver|ship|redirect)\s+(?:it\s+)?(?:to\s+)?(?:a\s+)?(?:different|another|new|other)\s+address\b"
    r"|\bredirect\b|\bchange\s+where\s+(?:it|they|the\s+order|the\s+parcel)\s+(?:goes|go|is\s+going|are\s+going|gets?\s+sent)\b"
    r"|\bsend\s+(?:it|them)\s+(?:somewhere|elsewhere)\b", re.IGNORECASE)


class ActionCancelReply(Action):
    """Every reply to "are you sure you want to cancel the whole order?", the buttons' and
    typed ones, read by its words (actions/confirmation_replies.py): yes cancels the verified
    order, no keeps it, anything unclear asks again (cancel_allowed stays true, so the next
    reply is read the same way)."""

    def name(self) -> Text:
        return "action_cancel_reply"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        latest = tracker.latest_message or {}
        answer = confirmation_answer(latest.get("text") or "", (latest.get("intent") or {}).get("name"))
        if answer is False and asks_a_question(latest.get("text") or "") and \
                confirmation_answer(latest.get("text") or "") is None:
            answer = None  # a question whose words say no "no" is not one, whatever the intent
        verified = slot_text(tracker.get_slot("verified_order"))
        named = verification.order_named_instead(tracker)
        if named:
            # "sorry, I meant HG-…", "cancel HG-… instead": this one is kept, and the order
            # named is checked (its own proof) and asked about in turn
            dispatcher.utter_message(response="utter_order_kept", order_number=verified or "")
            return [SlotSet("cancel_allowed", None), *verification.check_order_instead(named, "cancel")]
        restored: List[EventType] = []
        if verified and slot_text(tracker.get_slot("order_number")) != verified:
            # "yes cancel HG-100001, not HG-100005": the slot took the last number named, the
            # words mean the one asked about
            tracker.slots["order_number"] = verified
            restored = [SlotSet("order_number", verified)]
        text, intent = latest.get("text") or "", (latest.get("intent") or {}).get("name")
        if not (answer is False and _ADDRESS_INSTEAD.search(text)) and (
                intent in ("ask_cancellation_fees", "refund_status")
                or (asks_a_question(text) and _ASKS_ABOUT_THE_COST.search(text))):
            # (not a no with an address change instead: "actually no, dont cancel. can i just
            # change where it goes instead?" got what cancelling costs and the question again,
            # a customer run)
            # "hang on, will I be charged anything for cancelling?" got the fees answer and the
            # cancellation was dropped: the yes after it was not understood
            with company_session() as session:
                order = verification.verified_order(tracker, session)
                if order is None:
                    return restored + [SlotSet("cancel_allowed", None)]
                dispatcher.utter_message(response="utter_cancel_costs_nothing", order_number=order.number,
                                         total=order_total(order), refund_days=policies.REFUND_WORKING_DAYS)
                _ask_to_cancel(dispatcher, order)
            return restored + [SlotSet("cancel_allowed", True)]
        if wants_only_some(text) and not (answer is False and _KEEPS.search(text)):
            # "no, just remove the headphones" is only some; "no keep it, i will just return
            # the lamp later" keeps the order
            with company_session() as session:
                order = verification.verified_order(tracker, session)
                if order is not None and _only_some_of(order, text):
                    return restored + _only_some_explained(dispatcher, order)
        if answer is True:
            return restored + _cancel_verified(dispatcher, tracker)
        if answer is False:
            dispatcher.utter_message(response="utter_order_kept", order_number=verified or "")
            if verified and _ADDRESS_INSTEAD.search(text):
                # the order proved for the cancellation is the one whose address changes
                return [SlotSet("cancel_allowed", None), *verification.check_order_instead(verified, "change_address")]
            return restored + [SlotSet("cancel_allowed", None)]
        with company_session() as session:
            order = verification.verified_order(tracker, session)
            if order is None:
                return restored + [SlotSet("cancel_allowed", None)]
            heading = heading_asked_for(text)
            # "do you price match tho?" here got "Sorry, I didn't catch that" and the question
            # again (a customer run): the section answers it, then the question is asked again
            if not (heading and answer_with_passage_headed(dispatcher, heading, tracker, ask_helped=False)):
                dispatcher.utter_message(response="utter_cancel_reply_unclear")
            _ask_to_cancel(dispatcher, order)
        return restored + [SlotSet("cancel_allowed", True)]


_GIFT_RECEIPT = re.compile(r"(?<!not\s)(?<!not\sa\s)(?<!no\s)\bgift\s*-?\s*receipts?\b", re.IGNORECASE)


class ActionSendInvoice(Action):
    """Queues a copy of the verified order's invoice to the customer's email."""

    def name(self) -> Text:
        return "action_send_invoice"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        request = _invoice_request(tracker)
        if request is not None and says_it_was_posted_back(request.get("text") or ""):
            # "i have the post office receipt": the parcel posted back, not an invoice wanted
            return tell_refund_status(dispatcher, tracker)
        with company_session() as session:
            order = verification.verified_order(tracker, session)
            if order is None:
                return []
            if request is not None and _GIFT_RECEIPT.search(str(request.get("text") or "")):
                # "how do i get a gift receipt for something i bought" got the invoice, with its
                # prices (a customer run)
                order_service.queue_gift_receipt_email(session, order, utcnow())
                dispatcher.utter_message(response="utter_gift_receipt_sent", order_number=order.number,
                                         masked_email=mask_email(order.customer.email),
                                         window_days=policies.RETURN_WINDOW_DAYS)
                return []
            invoice = order.invoice
            if invoice is None:
                dispatcher.utter_message(response="utter_no_invoice", order_number=order.number)
                return []
            order_service.queue_invoice_email(session, order, utcnow())
            dispatcher.utter_message(
                response="utter_invoice_sent", order_number=order.number,
                invoice_number=invoice.number, amount=format_pence(invoice.amount_pence),
                issued_date=format_day(invoice.issued_at),
                masked_email=mask_email(order.customer.email),
            )
            if _asked_for_another_address(request, order.customer.email):
                dispatcher.utter_message(response="utter_invoice_only_to_account_email")
            if request is not None and wants_the_invoice_for_a_company(request.get("text") or ""):
                # "I need an invoice for my company, our VAT number is GB…" got the personal copy
                # again, with no word about the company (3 of 3 in a customer run)
                dispatcher.utter_message(response="utter_invoice_for_a_company")
        return []


def _invoice_request(tracker: Tracker) -> Optional[Dict[str, Any]]:
    """The customer's message that asked for the invoice, in this session."""
    return next((event for event in session_messages_newest_first(tracker)
                 if message_intent(event) == "request_invoice"), None)


def _asked_for_another_address(request: Optional[Dict[str, Any]], account_email: str) -> bool:
    """Whether the invoice request asked for it elsewhere: "to my work email", or an email
    address that is not the account's."""
    if request is None:
        return False
    emails = {value.lower() for value in entity_values(request.get("parse_data") or {}, "email")}
    return bool(_ANOTHER_ADDRESS.search(request.get("text") or "")) or bool(emails - {account_email.lower()})
