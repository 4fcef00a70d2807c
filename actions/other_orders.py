"""`action_other_order_status`: another order asked about right after an order's status ("and
HG-100002?", "what about the other one?"), as that order's status (handoff/follow_ups.py
decides, bot/policies/follow_ups.py predicts it). The order named is proved in its turn;
with no number named, the order form asks which order."""

from __future__ import annotations

from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import verification
from actions.tracker_reading import latest_entity

STATUS_TASK = "status"


class ActionOtherOrderStatus(Action):
    def name(self) -> Text:
        return "action_other_order_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        return verification.check_order_instead(latest_entity(tracker, "order_number"), STATUS_TASK)
