"""A form the customer can give up: a confirmation slot whose "no" ends it, and words that
say the change is no longer wanted where the form asks its first question ("no forget the
return", "no i dont want to change the address"), whatever intent the model reads them as.
Read as another topic, such words left the form to ask the same question again."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import List, Text

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.tracker_reading import typed_text


class DeclinableForm(FormValidationAction, ABC):
    # the slot whose False ends the form, and the question its words are read at
    confirmation_slot: str
    asked_slot: str

    @abstractmethod
    def gives_up(self, text: str) -> bool:
        """Whether the customer's words say the change is no longer wanted."""

    async def required_slots(
        self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker,
        domain: DomainDict,
    ) -> List[Text]:
        if tracker.get_slot(self.confirmation_slot) is False:
            # declined: the form ends (that "no" is validated, so nothing is left to ask),
            # and the action after it says that nothing changed
            return [self.confirmation_slot]
        return domain_slots

    async def get_extraction_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict,
    ) -> List[EventType]:
        """The extractions of the form, and the confirmation slot set to False when the words
        at `asked_slot` give up (whatever intent the model read them as)."""
        events = await super().get_extraction_events(dispatcher, tracker, domain)
        asked = tracker.get_slot("requested_slot") == self.asked_slot
        if asked and self.gives_up(typed_text(tracker)):
            tracker.slots[self.confirmation_slot] = False
            events.append(SlotSet(self.confirmation_slot, False))
        return events
