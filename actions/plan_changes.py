"""How a member changes their Harbor Club plan.

A customer run: "I'm on Harbor Club Plus, how do I downgrade to Essential? And will I lose the
extra warranty on stuff I already bought?" got the two plans side by side, "ok but HOW do i
switch plans?" Essential's price, and "this isn't helping. how do I change my plan from Plus
to Essential" the comparison again; "i'm on essential now, can i upgrade to plus midway through the
month?" the two plans and how to join (a later run). The plans answer is how to change plan when the words ask
to (`changes_a_plan`): where to do it, when each way takes effect, and that the extra warranty
stays on what was bought (utter_plan_change).
"""

from __future__ import annotations

import re

from rasa_sdk.executor import CollectingDispatcher

_CHANGE = re.compile(
    r"\b(?:downgrad\w*|(?:upgrad\w*|(?:go|move|moving|drop|step|stepping|bump\s+me)\s+(?:down|up))\s+(?:\w+\s+){0,2}?"
    r"(?:to\s+)?(?:essential|plus|premium|plans?|tier|membership)"
    r"|(?:switch|change|swap|move)\w*\s+(?:my\s+|our\s+|the\s+|between\s+)?(?:\w+\s+)?(?:plans?|membership|tier)"
    r"|(?:switch|change|swap|move)\w*\s+(?:from\s+\w+\s+)?to\s+(?:essential|plus|premium)"
    r"|from\s+(?:essential|plus|premium)\s+to\s+(?:essential|plus|premium))\b",
    re.IGNORECASE)


def changes_a_plan(text: str) -> bool:
    """Whether a question about the plans asks how to change from one plan to another."""
    return _CHANGE.search(text or "") is not None


def tell_how_to_change_a_plan(dispatcher: CollectingDispatcher) -> None:
    dispatcher.utter_message(response="utter_plan_change")
