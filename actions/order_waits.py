"""`action_order_wait`: impatience with an order on schedule, answered (see
bot/policies/order_waits.py): the wait acknowledged, nothing faster promised, a person
offered with a button."""

from __future__ import annotations

from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.tracker_reading import slot_text


class ActionOrderWait(Action):
    def name(self) -> Text:
        return "action_order_wait"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        number = slot_text(tracker.get_slot("verified_order"))
        dispatcher.utter_message(response="utter_order_wait", order=f"Order {number}" if number else "Your order")
        return []
