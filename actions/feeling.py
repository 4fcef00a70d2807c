"""The feeling first, then the answer: `action_validate_slot_mappings`.

An upset customer whom the assistant keeps ("where is my order, I'm really annoyed") hears
the feeling acknowledged before the answer. Rasa runs `action_validate_slot_mappings` at
every customer message, before it chooses the answer (its hook for checking the slots a
message filled; the assistant has no such checks of its own); what it utters there goes
out first, and since it adds no action to the conversation, rules and stories see the turn
as if it were not there. `handoff.escalation.feeling_acknowledgement` decides (a loss or a hard time told in passing
has its own line); a turn that
goes to a person whose handoff opens with a line of its own (`handoff_opening`: safety,
security, the feeling, not understood) is left to `action_handoff`.
"""

from __future__ import annotations

from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from handoff.escalation import feeling_acknowledgement, signals_from_events

class AcknowledgeFeeling(Action):
    def name(self) -> Text:
        # the name Rasa runs at every message; rasa_sdk's ValidationAction would also look
        # for validate_<slot> methods, and log each slot it finds none for
        return "action_validate_slot_mappings"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        signals = signals_from_events(tracker.events, tracker.current_slot_values())
        response = feeling_acknowledgement(signals) if signals is not None else None
        if response is not None:
            dispatcher.utter_message(response=response)
        return []
