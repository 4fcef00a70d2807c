"""What we take for payment, and a question about paying that the help centre's "Paying for
your order" answers better than the list of methods.

"does klarna do a credit check?" was read as a question about payment methods (0.95) and got
the list of them, which says nothing about a credit check (a customer run). A question about
Klarna's terms, about when the money is taken or about how safe a card is gets the article's
section on it; every other gets the list (`utter_payment_methods`).
"""

from __future__ import annotations

import re
from typing import List, Optional, Pattern, Sequence, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.help_centre import answer_with_passage_headed
from actions.company_db import company_session
from actions.plan_endings import money_asked_after_a_plan_ending, tell_what_the_month_paid_becomes
from actions.product_details import product_asked_about
from actions.tracker_reading import product_in_slot, response_before_latest_message, typed_text
from company import catalog, policies
from company.money import format_pence

ACTION_NAME = "action_payment_methods"
# when a plan change is paid, asked right after how a plan changes
_PLAN_CHANGE_PAID = re.compile(r"\b(?:difference|upgrad\w*|downgrad\w*|plan|pro[\s-]?rat\w*|straight\s+away|at\s+once"
                               r"|immediately|right\s+away|now|when|next\s+month)\b", re.IGNORECASE)

KLARNA_SECTION = ("klarna",)
# the words of a question and the heading words of the section that answers it
SECTIONS: Sequence[Tuple[Pattern[str], Sequence[str]]] = (
    (re.compile(r"\bcredit\s*(?:check|score|search|rating|file|history|record)|\blate\s+(?:fee|payment)"
                r"|\bmiss(?:ed|ing)?\s+(?:an?\s+|one\s+of\s+the\s+|my\s+)?(?:klarna\s+)?(?:payment|instal+ment)"
                r"|\bhow\s+(?:does|do)\s+(?:klarna|the\s+instal+ments?|paying\s+in\s+(?:three|3))\s+work\b",
                re.IGNORECASE), KLARNA_SECTION),
    (re.compile(r"\b(?:is\s+it|are\s+(?:my\s+)?(?:card\s+)?(?:details|payments?)|is\s+(?:my\s+)?(?:card|payment))\s+"
                r"(?:safe|secure)\b|\b(?:store|keep|save|see)\s+(?:my\s+)?(?:full\s+)?card\b|\b3-?d\s*secure\b",
                re.IGNORECASE), ("safe",)),
    (re.compile(r"\bwhen\b[^.?!]{0,30}\b(?:charged|charge\s+(?:me|my)|debited|take\s+(?:the\s+)?(?:money|payment))\b"
                r"|\bcharged\s+(?:straight\s+away|right\s+away|now|before\s+(?:it\s+)?(?:ships|dispatch))",
                re.IGNORECASE), ("charged",)),
)


_KLARNA = re.compile(r"\bklarna\b|\bpay(?:ing)?\s+in\s+(?:three|3)\b", re.IGNORECASE)
# an amount of money named: "£24", "24.99 pounds", "25 quid"
_AMOUNT = re.compile(r"£\s*(\d+(?:\.\d{1,2})?)|\b(\d+(?:\.\d{1,2})?)\s*(?:quid|pounds?|gbp)\b", re.IGNORECASE)


def amount_below_klarna(text: str) -> Optional[int]:
    """The order's amount in pence, when the words ask about Klarna and name an amount it is not
    offered on ("klarna isnt an option at checkout, my order is £24"); None otherwise."""
    if not _KLARNA.search(text or ""):
        return None
    for found in _AMOUNT.finditer(text):
        pence = round(float(found.group(1) or found.group(2)) * 100)
        if 0 < pence <= policies.KLARNA_MINIMUM_PENCE:
            return pence
    return None


def tell_klarna_minimum(dispatcher: CollectingDispatcher, text: str) -> bool:
    """Says why Klarna is not offered on the amount the words name, if they do: "why can't i pick
    klarna? basket is 25 quid" got the card issuers' reasons for a failed payment (a customer
    run), and a question about it the whole Klarna section, where the reason is one clause."""
    pence = amount_below_klarna(text)
    if pence is None:
        return False
    dispatcher.utter_message(response="utter_klarna_minimum", amount=format_pence(pence),
                             minimum=format_pence(policies.KLARNA_MINIMUM_PENCE))
    return True


# how much each payment is ("so how much would each payment be?" after the chair's price and
# the ways to pay fell back: a customer run)
_EACH_PAYMENT = re.compile(r"\b(?:each|every|per)\s+(?:payment|instal+ment)s?\b"
                           r"|\bhow\s+much\b[^.?!]*\b(?:instal+ments?|payments?)\b", re.IGNORECASE)


def tell_instalments(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """Says Klarna's payments for the product talked about, when the words ask what each
    payment would be and its price allows Klarna; False (nothing said) otherwise."""
    if not _EACH_PAYMENT.search(typed_text(tracker)):
        return False
    with company_session() as session:
        # the product named, or the one talked about last (the answer just before may have been
        # the ways to pay, asked beside it); the answer names it, so the customer sees which
        product = product_asked_about(tracker, session) or catalog.find_product(
            session, product_in_slot(tracker))
        if product is None or product.price_pence <= policies.KLARNA_MINIMUM_PENCE:
            return False
        first, *later = policies.klarna_instalments(product.price_pence)
        dispatcher.utter_message(response="utter_klarna_instalments", product=product.name,
                                 price=format_pence(product.price_pence), first=format_pence(first),
                                 later=format_pence(later[0]))
    return True


def section_asked(text: str) -> Sequence[str]:
    """The heading words of the "Paying for your order" section the words ask about, or none."""
    return next((heading for words, heading in SECTIONS if words.search(text or "")), ())


class ActionPaymentMethods(Action):
    """The methods we take, or the section of the paying article the question is about."""

    def name(self) -> Text:
        return ACTION_NAME

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        text = typed_text(tracker)
        if tell_klarna_minimum(dispatcher, text) or tell_instalments(dispatcher, tracker):
            return []
        if response_before_latest_message(tracker) == "utter_plan_change" and _PLAN_CHANGE_PAID.search(text):
            # ("do i pay the difference straight away" right after how to upgrade a plan got the
            # payment methods: a customer run)
            dispatcher.utter_message(response="utter_plan_change_payment")
            return []
        heading = section_asked(text)
        if not (heading and answer_with_passage_headed(dispatcher, heading, tracker)):
            dispatcher.utter_message(response="utter_payment_methods")
        return []


class ActionPaymentProblem(Action):
    """A problem paying at the checkout: why Klarna is not offered, where that is the problem,
    else what stops most payments there (`utter_payment_problem`)."""

    def name(self) -> Text:
        return "action_payment_problem"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        text = typed_text(tracker)
        if tell_klarna_minimum(dispatcher, text):
            return []
        if money_asked_after_a_plan_ending(tracker):
            with company_session() as session:
                tell_what_the_month_paid_becomes(dispatcher, session)
            return []
        if _KLARNA.search(text) and answer_with_passage_headed(dispatcher, KLARNA_SECTION, tracker):
            # "i paid with klarna tho, does that change anything?" after a cancellation got the
            # card issuers' reasons for a failed payment (a customer run): the Klarna section
            # says what a refund does to the plan
            return []
        dispatcher.utter_message(response="utter_payment_problem")
        return []
