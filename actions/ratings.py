"""`action_record_rating`: the 1-5 rating asked after a resolved case.

Stored with the ticket it rates; a 1 or 2 opens a follow-up ticket for a person (the
closed loop, handoff.ratings) and the customer is told someone will be in touch;
otherwise the bot asks for an optional comment (actions/feedback.py). A number typed
after the NPS question is an NPS answer, whatever the NLU called it (actions.scores).
"""

from __future__ import annotations

import os
from typing import List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.company_db import company_sessions, gateway_conversation
from actions.conversation import latest_entity
from actions.handoff import gather_context
from actions.nps import answer_nps
from actions.scores import NPS, last_question, typed_number
from bot.settings import Settings
from handoff.ratings import parse_score, record_rating
from handoff.tickets import TicketStore


def ticket_store() -> TicketStore:
    return TicketStore(company_sessions(), Settings.from_env(dict(os.environ)).sla)


def answer_rating(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    """Records the customer's 1-5 rating (or asks again); a good one invites a comment."""
    score = parse_score(latest_entity(tracker, "rating") or tracker.get_slot("rating")
                        or typed_number(tracker.latest_message.get("text")))
    if score is None:
        dispatcher.utter_message(response="utter_ask_rating")
        return [SlotSet("rating", None)]
    rating_id: Optional[str] = None
    if gateway_conversation(tracker.sender_id) is not None:
        _, context = gather_context(tracker)
        recorded = record_rating(company_sessions(), ticket_store(), tracker.sender_id, score,
                                 context)
        if recorded.follow_up_ticket is not None:
            dispatcher.utter_message(response="utter_rating_follow_up")
            return [SlotSet("rating", None), SlotSet("rating_asked", True),
                    SlotSet("handoff_ticket", str(recorded.follow_up_ticket))]
        rating_id = str(recorded.id)
    return [SlotSet("rating", None), SlotSet("rating_asked", True),
            SlotSet("rating_id", rating_id), FollowupAction("rating_comment_form")]


class ActionRecordRating(Action):
    def name(self) -> Text:
        return "action_record_rating"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        if last_question(tracker) == NPS:
            return answer_nps(dispatcher, tracker)
        return answer_rating(dispatcher, tracker)
