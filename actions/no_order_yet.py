"""No order yet, said where the order number is asked.

"if i order today will it arrive by friday?" started the order lookup, and "i havent ordered
yet" to "What's the order number?" (a status question to the model) got "Sure, I'll see to
that as soon as I've found the order" and the same question, a loop with no way out (a
customer run, 3 of 3). bot/policies/no_order_yet.py has `action_no_order_yet` answer such
words inside the order form: the lookup ends, and a question about when an order would come
gets the delivery times.
"""

from __future__ import annotations

import re
from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.faq import ActionShippingInfo
from actions.requirement_notes import answer_about_reference, requirement_reference

ACTION_NAME = "action_no_order_yet"
# a requirement's reference where an order's number is expected
REFERENCE_ACTION = "action_requirement_reference"
FORM = "order_form"
# the requests that start the order lookup (data/rules/orders.yml): "I haven't ordered yet -
# do you deliver to Australia?" started it and asked for a number (a customer run)
ORDER_TASK_INTENTS = frozenset({"order_status", "refund_status", "request_invoice", "cancel_order",
                                "change_address", "start_return"})

_NOT_ORDERED_YET = re.compile(
    r"\b(?:have\s*n[o']?t|havent|have\s+not|did\s*n[o']?t|didnt|did\s+not|not)\s+(?:yet\s+)?"
    r"(?:order(?:ed)?|placed\s+(?:an?\s+|the\s+|my\s+)?order|made\s+an?\s+order|bought|buy)(?:\s+(?:it|one|anything))?\s+yet\b"
    r"|\b(?:have\s*n[o']?t|havent|have\s+not)\s+(?:ordered|placed\s+(?:an?\s+|the\s+|my\s+)?order)\b"
    r"|\bno\s+order\s+(?:yet|placed)\b|\bnot\s+(?:an?\s+)?(?:customer|ordered)\s+yet\b"
    r"|\b(?:before|if)\s+i\s+(?:order|buy|place\s+(?:an?\s+)?order)\b|\bthinking\s+(?:of|about)\s+(?:ordering|buying)\b"
    r"|\bnothing\s+(?:ordered|to\s+track)\s+yet\b",
    re.IGNORECASE)
# an order the customer did not place, charged or delivered, is a dispute for a person
_DISPUTE = re.compile(
    r"\b(?:charg\w*|paid|payment|money|debit\w*|bank|card|arrived|received|delivered|parcel|package"
    r"|fraud|scam|hack\w*|confirmation|email\s+from\s+you)\b", re.IGNORECASE)
# the order task that was a question about when an order comes
_STATUS_TASK = "status"


def says_not_ordered_yet(text: str) -> bool:
    """Whether the words say there is no order yet ("i havent ordered yet", "if I order today
    …"), not an order the customer did not place ("I never ordered this but you charged me")."""
    return _NOT_ORDERED_YET.search(text) is not None and _DISPUTE.search(text) is None


def _lookup_ended() -> List[EventType]:
    """The order lookup ended, its task and number let go."""
    return [ActiveLoop(None), SlotSet("requested_slot", None), SlotSet("order_task", None),
            SlotSet("order_number", None)]


class ActionNoOrderYet(Action):
    """Ends the order lookup; a status question gets the delivery times instead."""

    def name(self) -> Text:
        return ACTION_NAME

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        events = _lookup_ended()
        if tracker.get_slot("order_task") == _STATUS_TASK:
            dispatcher.utter_message(response="utter_no_order_yet_delivery")
            return events + await ActionShippingInfo().run(dispatcher, tracker, domain)
        dispatcher.utter_message(response="utter_no_order_yet")
        return events


BOUGHT_ELSEWHERE_ACTION = "action_bought_elsewhere"


class ActionBoughtElsewhere(Action):
    """Bought in a shop or from another seller ("i bought it in a shop actually, dont have an
    order number"): the shop sells online only, so the seller handles it; the order lookup
    ends (company/shop_visits.py)."""

    def name(self) -> Text:
        return BOUGHT_ELSEWHERE_ACTION

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        dispatcher.utter_message(response="utter_bought_elsewhere")
        return _lookup_ended()


class ActionRequirementReference(Action):
    """A requirement's reference named where an order was expected, or outside any form:
    what it adds is added to it, otherwise what it is and when the team answers, with a
    person offered (actions/requirement_notes.py); the order lookup ends."""

    def name(self) -> Text:
        return REFERENCE_ACTION

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        named = requirement_reference(str(tracker.latest_message.get("text") or "")) or ""
        answer_about_reference(dispatcher, tracker, named)
        return _lookup_ended()
