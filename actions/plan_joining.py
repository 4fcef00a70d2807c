"""How a customer joins a Harbor Club plan, and what joining covers.

A customer run: "i want to join harbor club plus" got the plan's price, "ok how do i actually
sign up?" how to create an account, and "i already have an account. how do i add the plus
plan to it??" the price again: twice round, and never how to join. The plans answer adds how
to join when the words ask to join (`wants_to_join`), and a sign-up question right after a
plans answer is about the plan (`JOIN_CONTEXT`), unless it names the account.
"""

from __future__ import annotations

import re

from rasa_sdk.executor import CollectingDispatcher

_JOIN = re.compile(
    r"\b(?:join|sign(?:\s|-)?(?:me\s+)?up|subscribe|become\s+a\s+member|upgrade\s+to"
    r"|add\s+(?:the\s+|a\s+)?(?:\w+\s+)?(?:plan|membership)|start\s+(?:the\s+|a\s+|my\s+)?(?:free\s+)?trial)\b",
    re.IGNORECASE)
_ACCOUNT = re.compile(r"\baccount\b|\bregister\b", re.IGNORECASE)
# the answers after which "how do I sign up?" means joining the plan just described
JOIN_CONTEXT = frozenset({"utter_plans", "utter_plan_one", "utter_plans_compared_two",
                          "utter_plans_compared", "utter_plan_how_to_join"})


def wants_to_join(text: str) -> bool:
    """Whether a question about the plans asks to join one."""
    return _JOIN.search(text) is not None


def signs_up_for_the_plan(text: str, said_before: str | None) -> bool:
    """A sign-up question right after a plans answer, not naming the account."""
    return said_before in JOIN_CONTEXT and not _ACCOUNT.search(text)


def tell_how_to_join(dispatcher: CollectingDispatcher, trial_days: int) -> None:
    dispatcher.utter_message(response="utter_plan_how_to_join", trial_days=trial_days)


# what was bought before joining: "do I get free next day delivery on the order I placed
# today?", "does the extra year of warranty count for stuff I already bought before joining?"
_BOUGHT_BEFORE = re.compile(
    r"\balready\s+(?:bought|ordered|placed|got|have)\b|\bbefore\s+(?:i\s+|we\s+)?(?:join|joining|joined|signing\s+up|sign\s+up)\b"
    r"|\b(?:order|orders|purchases?|stuff|things)\s+(?:i\s+|we\s+)?(?:already\s+|just\s+)?(?:placed|made|bought|ordered)\b"
    r"|\bexisting\s+(?:order|orders|purchases?)\b|\b(?:placed|ordered|bought)\s+(?:it\s+)?(?:today|yesterday|earlier|last\s+week)\b",
    re.IGNORECASE)
# the help centre's section that answers it (company/help_articles/harbor-club.md)
BENEFITS_START = ("benefits", "start")


def asks_about_purchases_before_joining(text: str) -> bool:
    """Whether a question about the plans or their warranty asks whether joining covers what
    was bought before: the plans answer, the joining steps and the delivery overview were
    given instead, and a second asking went to a person (customer runs)."""
    return _BOUGHT_BEFORE.search(text) is not None
