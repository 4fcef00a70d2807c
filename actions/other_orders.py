"""`action_other_order_status`: another order asked about right after an order's status ("and
HG-100002?", "what about the other one?"), as that order's status (handoff/follow_ups.py
decides, bot/policies/follow_ups.py predicts it); `action_other_order_invoice` the same
right after an invoice ("And for the other order as well please, HG-100001?" got that
order's status: a customer run). The order named is proved in its turn (by the detail that
proved the first, when it is the same customer's: verification.proof_carried_over).
With no number named, "the other one" or "the second one" is the other order the customer
named earlier in the session ("where are HG-100001 and HG-100002", then "and the second
one?" was asked for a number: a customer run); with none, the order form asks which order."""

from __future__ import annotations

from typing import List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import verification
from actions.tracker_reading import entity_values, latest_entity, session_messages_newest_first, slot_text
from company.identifiers import normalise_order_number
from handoff.follow_ups import about_another_order

STATUS_TASK, INVOICE_TASK = "status", "invoice"


class ActionOtherOrderStatus(Action):
    def name(self) -> Text:
        return "action_other_order_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        return _for_the_other_order(tracker, STATUS_TASK)


class ActionOtherOrderInvoice(Action):
    def name(self) -> Text:
        return "action_other_order_invoice"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        return _for_the_other_order(tracker, INVOICE_TASK)


def _for_the_other_order(tracker: Tracker, task: str) -> List[EventType]:
    named = latest_entity(tracker, "order_number") or _other_order_named_before(tracker)
    return verification.check_order_instead(named, task)


def _other_order_named_before(tracker: Tracker) -> Optional[str]:
    """The latest order the customer named in this session other than the one just talked
    about, when the latest message asks about "the other one"."""
    if not about_another_order(str((tracker.latest_message or {}).get("text") or "")):
        return None
    current = normalise_order_number(slot_text(tracker.get_slot("order_number")))
    for event in session_messages_newest_first(tracker):
        for value in entity_values(event.get("parse_data") or {}, "order_number"):
            number = normalise_order_number(str(value))
            if number is not None and number != current:
                return number
    return None
