"""Every reply to "Shall I pass a warranty claim to our product team?" (offered when the
return window has closed, actions/returns.py).

The model read "what happens next?" there as goodbye: the chat was closed with a rating
request and no claim was made. So the words decide, as for the cancellation question
(actions/confirmation_replies.py): a yes, or the fault told in the customer's own words
("it just stopped heating"), makes the claim; a no declines it; a question is answered with
what a claim involves and the offer asked again, as is anything unclear; a refund wanted
instead is told why there is none here, with a person offered; and words that say nothing
is wrong with it ("it works fine, i just dont want it anymore") make no claim: the customer
is told a claim is for a fault, and that a person can look at an exception to the window.
"""

from __future__ import annotations

import re
from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import verification
from actions.confirmation_replies import asks_a_question, confirmation_answer
from actions.returns import asks_which_reason, reason_to_return
from actions.tracker_reading import latest_intent, slot_text, typed_text
from actions.warranty import (OFFERED_SLOT, ActionDeclineWarrantyClaim, ActionWarrantyClaim,
                              says_nothing_is_wrong, wants_a_refund_instead)


# a yes that says so beside a goodbye or a thanks ("yes please, thanks"); "ok thanks, bye" is
# leaving, not a claim
_PLAIN_YES = re.compile(r"\b(?:yes|yeah|yep|please|go\s+ahead|do\s+it|make\s+(?:it|the\s+claim)|claim)\b",
                        re.IGNORECASE)


# a repair asked for in words ("just want it fixed", "ill leave it with you to sort"), which a
# leading "no" or "leave it" had declined
_WANTS_IT_FIXED = re.compile(r"\b(?:fix|fixed|fixing|repair|repaired|mend|mended)\b|\bto\s+sort\b"
                             r"|\bsort\s+(?:it|this)\b", re.IGNORECASE)
_NOT_FIXED = re.compile(r"\b(?:do\s*n[o']?t|dont|not|no)\s+(?:want\s+(?:it\s+|a\s+)?)?(?:fix|repair|mend)\w*"
                        r"|\bcan'?t\s+be\s+(?:fixed|repaired)", re.IGNORECASE)


class ActionWarrantyClaimReply(Action):
    def name(self) -> Text:
        return "action_warranty_claim_reply"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        text = typed_text(tracker)
        intent = latest_intent(tracker)
        named = verification.order_named_instead(tracker)
        if named:
            # "oh wait, wrong order i meant HG-…" declined the claim and dropped the order named
            dispatcher.utter_message(response="utter_order_switched",
                                     order_number=slot_text(tracker.get_slot("verified_order")))
            return [SlotSet(OFFERED_SLOT, None), *verification.check_order_instead(named, "return")]
        if says_nothing_is_wrong(text):
            # no fault, no claim; an exception to the closed window is a person's to make
            dispatcher.utter_message(response="utter_warranty_no_fault",
                                     order_number=slot_text(tracker.get_slot("verified_order")) or "")
            return [SlotSet(OFFERED_SLOT, False)]
        # a fault wondered about is not told: "does a scratch count as damaged?" made the claim
        fault_told = reason_to_return(text) is not None and not asks_which_reason(text)
        if wants_a_refund_instead(text) and confirmation_answer(text) is not True:
            # asks again itself, with a person among the buttons
            dispatcher.utter_message(response="utter_warranty_claim_no_refund",
                                     order_number=slot_text(tracker.get_slot("verified_order")) or "")
            return [SlotSet(OFFERED_SLOT, True)]
        answer = confirmation_answer(text, intent)
        if _WANTS_IT_FIXED.search(text) and not _NOT_FIXED.search(text):
            answer = True  # "no, i want to keep it, just want it fixed": a repair is the claim
        elif intent in ("goodbye", "thanks") and not _PLAIN_YES.search(text):
            answer = False  # "ok thanks, bye" leaves without a claim (the offer stays open)
        if asks_a_question(text) and not fault_told and not (answer is True and "?" not in text):
            dispatcher.utter_message(response="utter_warranty_claim_next_steps")
            return self._ask_again(dispatcher, tracker)
        if answer is None and fault_told:
            answer = True  # "it just stopped heating": the fault, told rather than a yes
        if answer is True:
            return await ActionWarrantyClaim().run(dispatcher, tracker, domain)
        if answer is False:
            return await ActionDeclineWarrantyClaim().run(dispatcher, tracker, domain)
        return self._ask_again(dispatcher, tracker)

    @staticmethod
    def _ask_again(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
        """The offer again (warranty_claim_offered stays true, so the next reply is read the
        same way)."""
        dispatcher.utter_message(response="utter_ask_warranty_claim",
                                 order_number=slot_text(tracker.get_slot("verified_order")) or "")
        return [SlotSet(OFFERED_SLOT, True)]
