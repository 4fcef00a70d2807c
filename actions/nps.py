"""The answer to the day-30 NPS question: stored with the aftercare message it answers and the
question it answers (once per question), thanked, and a detractor (0-6) is asked what we
could do better. Which question a message answers is decided in actions.scores."""

from __future__ import annotations

from typing import List

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.company_db import company_sessions, gateway_conversation
from actions.tracker_reading import latest_entity, typed_text
from actions.scores import AskedQuestion, typed_number
from feedback.aftercare import AftercareStore
from feedback.models import AftercareKind
from feedback.nps import DETRACTOR_AT_OR_BELOW, parse_nps, record_nps


def answer_nps(dispatcher: CollectingDispatcher, tracker: Tracker,
               question: AskedQuestion) -> List[EventType]:
    """Records the customer's 0-10 answer to `question` (or asks again) and answers it.
    The score comes from this message alone: the button's entity or a typed number.
    Outside the gateway (rasa shell) there is no conversation to store it against."""
    score = parse_nps(latest_entity(tracker, "nps_score") or typed_number(typed_text(tracker)))
    if score is None:
        dispatcher.utter_message(response="utter_ask_nps_again")
        return [SlotSet("nps_score", None)]
    conversation = gateway_conversation(tracker.sender_id)
    if conversation is not None:
        sessions = company_sessions()
        aftercare = AftercareStore(sessions)
        asked = aftercare.last_sent(tracker.sender_id, [AftercareKind.NPS])
        customer_id = conversation.customer_id
        if customer_id is None and asked is not None:
            customer_id = aftercare.task(asked.id).customer_id  # known on the ticket
        recorded = record_nps(sessions, tracker.sender_id, score, customer_id,
                              asked.id if asked else None, question_key=question.key)
        if not recorded.new:
            dispatcher.utter_message(response="utter_score_already_recorded")
            return [SlotSet("nps_score", None)]
        if asked is not None:
            aftercare.answered(asked.id, f"nps {score}")
    dispatcher.utter_message(response="utter_nps_sorry" if score <= DETRACTOR_AT_OR_BELOW
                             else "utter_nps_thanks")
    return [SlotSet("nps_score", None)]
