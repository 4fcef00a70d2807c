"""A form the customer can give up: a confirmation slot whose "no" ends it, and words that
say the change is no longer wanted where the form asks its first question ("no forget the
return", "no i dont want to change the address"), whatever intent the model reads them as.
Read as another topic, such words left the form to ask the same question again. A "no"
there is the form's to read too: a plain one ends the form, but an answer the model read
as a "no" ("no reason just dont like it", "No. 5 Keep Lane, Leeds LS1 4AB") is the answer;
a rule that ended the form on every "no" lost it. Another order named there ends the form
too, and the action after it goes on with that order."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import List, Text

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import verification
from actions.tracker_reading import typed_text


class DeclinableForm(FormValidationAction, ABC):
    # the slot whose False ends the form, and the question its words are read at
    confirmation_slot: str
    asked_slot: str

    @abstractmethod
    def gives_up(self, text: str) -> bool:
        """Whether the customer's words say the change is no longer wanted."""

    @abstractmethod
    def answers(self, text: str) -> bool:
        """Whether words the model read as a "no" still answer the question at `asked_slot`."""

    async def required_slots(
        self, domain_slots: List[Text], dispatcher: CollectingDispatcher, tracker: Tracker,
        domain: DomainDict,
    ) -> List[Text]:
        if verification.order_named_instead(tracker):
            # "hang on wrong order number. HG-…": the form ends with nothing asked or
            # changed, and the action after it goes on with the order named
            return []
        if tracker.get_slot(self.confirmation_slot) is False:
            # declined: the form ends (that "no" is validated, so nothing is left to ask),
            # and the action after it says that nothing changed
            return [self.confirmation_slot]
        return domain_slots

    async def get_extraction_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict,
    ) -> List[EventType]:
        """The extractions of the form; at `asked_slot`, words read as a "no" that answer the
        question as that answer, and the confirmation slot set to False when the words give
        up or are a plain "no"."""
        events = await super().get_extraction_events(dispatcher, tracker, domain)
        if tracker.get_slot("requested_slot") != self.asked_slot:
            return events
        text = typed_text(tracker)
        said_no = (tracker.latest_message.get("intent") or {}).get("name") == "deny"
        if said_no and self.answers(text):
            slot, value = self.asked_slot, text
        elif said_no or self.gives_up(text):
            slot, value = self.confirmation_slot, False
        else:
            return events
        tracker.slots[slot] = value
        return events + [SlotSet(slot, value)]
