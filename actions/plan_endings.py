"""Whether a customer asks to end a Harbor Club plan: "I want to cancel my Harbor Club
membership", "how do i cancel plus". Its answer is how to end the plan (utter_plan_cancel):
"ok how do i cancel plus" started an order cancellation, which asked for an order number,
and a customer who gave one lost a £437 order."""

from __future__ import annotations

import re

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.tracker_reading import entity_values, latest_entity, typed_text
from company import catalog

_ENDING = (r"\b(?:cancel\w*|cancle\w*|cansel\w*|stop\w*|end|ending|quit\w*|terminate|leave|get\s+out\s+of"
           r"|pause|freeze|suspend|unsubscribe|unsub)\b")
# the plan follows the verb closely: "at the end of my trial" is no ending
_MEMBERSHIP = r"(?:\s+[\w']+){0,3}?\s+(?:membership|memebership|plan|subs?cri\w*|subcri\w*|sub|clubb?)\b"
# a plan by its name, right after the verb: not "cancel my order plus the delivery charge"
_PLAN_NAME = (r"\s+(?:my\s+|the\s+)?(?:harbou?r\s+club\s+)?(?:essential|plus|premium)\b"
              r"(?!\s+(?:order|orders|delivery|parcel|item|items|purchase)\b)")
_ON_HOLD = r"|\b(?:membership|plan|subs?cri\w*|clubb?)\s+on\s+hold\b"
_NAMED = re.compile(_ENDING + f"(?:{_MEMBERSHIP}|{_PLAN_NAME})" + _ON_HOLD, re.IGNORECASE)
# after a plans answer, "how do I cancel it" means the plan too, and so does "can i cancel
# anytime" ("which one gives free returns? and can i cancel anytime" after the plans asked for
# an order number to cancel: a customer run)
_IT = re.compile(_ENDING + r"(?:(?:\s+[\w']+){0,3}?\s+it\b|\s+(?:at\s+)?any\s*(?:time|point)\b|\s+whenever\b)",
                 re.IGNORECASE)


# a subscription to the newsletter is no plan ("cancel my newsletter subscription")
_NEWSLETTER = re.compile(r"\b(?:newsletter\w*|e-?mails?|mailing|marketing|offers)\b", re.IGNORECASE)


def names_a_plan_to_end(text: str) -> bool:
    """Whether the words ask to end a plan named in them ("cancel my membership", "how do i
    cancel plus")."""
    return _NAMED.search(text) is not None and _NEWSLETTER.search(text) is None


# ... but not where the words name an order ("can i cancel my order before it ships")
_AN_ORDER = re.compile(r"\b(?:orders?|parcels?|package|delivery|purchase|items?|HG-?\d+)\b", re.IGNORECASE)


def ends_a_plan(text: str) -> bool:
    """Whether the words, said about the plans, ask to end one ("how do I cancel it")."""
    return names_a_plan_to_end(text) or (_IT.search(text) is not None and _AN_ORDER.search(text) is None)


# the help centre's section on what a member keeps when the plan ends (company/help_articles/
# harbor-club.md): "if i cancel plus do i lose the extra warranty year on stuff i already
# bought?" got the changes an order allows (a customer run)
PLAN_ENDS_SECTION = ("plan", "ends")
_KEEPS = re.compile(r"\b(?:lose|keep(?!\s+\w+ing\b)|still\s+(?:have|get)|stay|stays|go\s+away)\b", re.IGNORECASE)


def asks_what_a_plan_ending_keeps(text: str) -> bool:
    """Whether the words ask what is kept or lost when a plan named is ended."""
    return names_a_plan_to_end(text) and _KEEPS.search(text) is not None


# the answers on ending a plan, after which a refund asked about is the plan's month
PLAN_ENDING_ANSWERS = frozenset({"utter_plan_cancel", "utter_plan_cancel_money"})


def refund_asked_after_a_plan_ending(tracker: Tracker) -> bool:
    """Whether the latest refund question, naming no order, came right after how a plan ends
    ("will i get a refund for this month" after "how do i cancel my harbor club plan" asked for
    an order number, then took "can i rejoin later?" for one: a customer run)."""
    if tracker.get_slot("order_task") != "refund":
        return False
    seen_request = False
    for event in reversed(tracker.events):
        if event.get("event") == "session_started":
            return False
        if event.get("event") == "user" and not seen_request:
            parse = event.get("parse_data") or {}
            if (parse.get("intent") or {}).get("name") != "refund_status":
                continue
            if entity_values(parse, "order_number"):
                return False
            seen_request = True
        elif event.get("event") == "bot" and seen_request:
            return (event.get("metadata") or {}).get("utter_action") in PLAN_ENDING_ANSWERS
        elif event.get("event") == "user" and seen_request:
            return False
    return False


# money for a plan's month: "will i get money back for this month", "do i get the rest of this
# month back though?", "i paid on the 1st", "do i still pay for december" (money words alone
# are no plan's: "can i pay with paypal", "do i get my money back if i return the toaster?")
_MONEY = re.compile(r"\b(?:money|refund\w*|pro[\s-]?rat\w*|charge[sd]?|pay|paid|cost|owe|back)\b", re.IGNORECASE)
_THE_MONTH = re.compile(
    r"\b(?:month\w*|membership|plan|subs?cri\w*|sub|club|trial|this\s+week|on\s+the\s+\d{1,2}(?:st|nd|rd|th)"
    r"|january|february|march|april|may|june|july|august|september|october|november|december)\b",
    re.IGNORECASE)
# what a change costs, asked of the plan just ended: "what happens if you cancel it mid month"
_A_COST = re.compile(r"\b(?:cost\w*|fees?|charge[sd]?|pay|paid|cancel\w*|mid[\s-]?month|month)\b", re.IGNORECASE)
# how many of the customer's messages back a plan's ending still counts as the subject
_LATELY = 2


def money_asked_after_a_plan_ending(tracker: Tracker) -> bool:
    """Whether the latest message, naming no order, asks about the plan's month soon after
    how a plan ends: "i paid on the 1st" then "do i get the rest of this month back though?"
    after "I want to cancel my Harbor Club Premium membership" got why card payments fail, then
    the returns policy (a customer run). Its answer is what the month paid for becomes."""
    text = typed_text(tracker)
    return (_MONEY.search(text) is not None and _THE_MONTH.search(text) is not None
            and _names_no_order(tracker, text) and _plan_ending_within(tracker, _LATELY))


def cost_asked_after_a_plan_ending(tracker: Tracker) -> bool:
    """Whether a question of what a change costs, naming no order, came right after how a plan
    ends: it asks what ending the plan costs ("what happens if you cancel it mid month" after
    how to cancel Harbor Club got the changes an order allows: a customer run)."""
    text = typed_text(tracker)
    return _A_COST.search(text) is not None and _names_no_order(tracker, text) and _plan_ending_within(tracker, 1)


def _names_no_order(tracker: Tracker, text: str) -> bool:
    return _AN_ORDER.search(text) is None and latest_entity(tracker, "order_number") is None


def _plan_ending_within(tracker: Tracker, messages: int) -> bool:
    """Whether how a plan ends was said since the customer's `messages`-th message back."""
    seen = 0
    for event in reversed(tracker.events):
        kind = event.get("event")
        if kind == "session_started":
            return False
        if kind == "user":
            seen += 1
            if seen > messages:
                return False
        elif kind == "bot" and seen and (event.get("metadata") or {}).get("utter_action") in PLAN_ENDING_ANSWERS:
            return True
    return False


def tell_how_to_end_a_plan(dispatcher: CollectingDispatcher, session: Session) -> None:
    """How a plan ends: in the account, with no fee (the plans' shortest trial named)."""
    dispatcher.utter_message(response="utter_plan_cancel", trial_days=_shortest_trial_days(session))


def tell_what_the_month_paid_becomes(dispatcher: CollectingDispatcher, session: Session) -> None:
    """What happens to the month paid for when a plan ends: not refunded, its benefits kept."""
    dispatcher.utter_message(response="utter_plan_cancel_money", trial_days=_shortest_trial_days(session))


def _shortest_trial_days(session: Session) -> int:
    return min((plan.trial_days for plan in catalog.plans(session)), default=0)
