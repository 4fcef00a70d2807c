"""The answer to the 1-5 rating question asked after a resolved case.

Stored with the ticket it rates and the question it answers; a 1 or 2 opens a follow-up
ticket for a person (the closed loop, handoff.ratings) and the customer is told someone
will be in touch; otherwise the bot asks for an optional comment (actions/feedback.py).
Only a rating stored just now starts the comment form. Which question a message answers
is decided in actions.scores (actions.score_answers runs it).
"""

from __future__ import annotations

from typing import List, Optional

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.company_db import company_sessions, gateway_conversation, ticket_store
from actions.tracker_reading import latest_entity, typed_text
from actions.handoff import gather_context
from actions.scores import AskedQuestion, typed_number
from handoff.ratings import parse_score, record_rating


def answer_rating(dispatcher: CollectingDispatcher, tracker: Tracker,
                  question: AskedQuestion) -> List[EventType]:
    """Records the customer's 1-5 answer to `question` (or asks again); a good one invites
    a comment. The score comes from this message alone: the button's entity or a typed
    number (another question's old button carries no rating)."""
    score = parse_score(latest_entity(tracker, "rating") or typed_number(typed_text(tracker)))
    if score is None:
        dispatcher.utter_message(response="utter_ask_rating")
        return [SlotSet("rating", None)]
    rating_id: Optional[str] = None
    if gateway_conversation(tracker.sender_id) is not None:
        _, context = gather_context(tracker)
        recorded = record_rating(company_sessions(), ticket_store(), tracker.sender_id, score,
                                 context, question_key=question.key)
        if not recorded.new:
            dispatcher.utter_message(response="utter_score_already_recorded")
            return [SlotSet("rating", None)]
        if recorded.follow_up_ticket is not None:
            # only a resolved ticket had a person helping; the assistant alone had none
            dispatcher.utter_message(response="utter_rating_follow_up" if recorded.rated_ticket
                                     else "utter_rating_follow_up_after_the_assistant")
            return [SlotSet("rating", None), SlotSet("rating_asked", True),
                    SlotSet("handoff_ticket", str(recorded.follow_up_ticket))]
        rating_id = str(recorded.id)
    return [SlotSet("rating", None), SlotSet("rating_asked", True),
            SlotSet("rating_id", rating_id), FollowupAction("rating_comment_form")]
