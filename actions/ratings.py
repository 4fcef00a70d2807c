"""The answer to the 1-5 rating question asked after a resolved case.

Stored with the ticket it rates and the question it answers; a 1 or 2 opens a follow-up
ticket for a person (the closed loop, handoff.ratings) and the customer is told someone
will be in touch; otherwise the bot asks for an optional comment (actions/feedback.py).
Words said with the score ("3/5, could be faster") are that comment, and kept with the
rating either way. Only a rating stored just now starts the comment form. Which question a message answers
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
from actions.feedback import MAX_TEXT, keep_rating_comment
from actions.scores import RATING, AskedQuestion, rating_label, says_why, typed_number
from feedback.capture import read_feedback, record_feedback
from feedback.models import FeedbackKind
from handoff.ratings import parse_score, record_rating


def answer_rating(dispatcher: CollectingDispatcher, tracker: Tracker,
                  question: AskedQuestion) -> List[EventType]:
    """Records the customer's 1-5 answer to `question` (or asks again); a good one invites
    a comment, unless this message gives one. The score comes from this message alone: the
    button's entity or a typed number (another question's old button carries no rating)."""
    text = typed_text(tracker)
    typed = typed_number(text)
    score = parse_score(latest_entity(tracker, "rating") or typed or rating_label(text))
    if score is None:
        if typed is not None:  # "10/10!!" was asked again with no word why, 4 times
            dispatcher.utter_message(response="utter_rating_scale")
        dispatcher.utter_message(response="utter_ask_rating")
        return [SlotSet("rating", None)]
    # "3/5, could be faster": the comment came with the score, so it is not asked for again
    comment = text[:MAX_TEXT] if says_why(text, RATING) else None
    rating_id: Optional[str] = None
    conversation = gateway_conversation(tracker.sender_id)
    if conversation is not None:
        _, context = gather_context(tracker)
        recorded = record_rating(company_sessions(), ticket_store(), tracker.sender_id, score,
                                 context, question_key=question.key)
        if not recorded.new:
            dispatcher.utter_message(response="utter_score_already_recorded")
            return [SlotSet("rating", None)]
        if recorded.follow_up_ticket is not None:
            if comment is not None:  # kept with the rating, for the person who follows up
                record_feedback(company_sessions(), tracker.sender_id, conversation.customer_id,
                                comment, read_feedback(comment, kind=FeedbackKind.RATING_COMMENT),
                                rating_id=recorded.id, follow_up_ticket_id=recorded.follow_up_ticket)
            # only a resolved ticket had a person helping; the assistant alone had none
            dispatcher.utter_message(response="utter_rating_follow_up" if recorded.rated_ticket
                                     else "utter_rating_follow_up_after_the_assistant")
            return [SlotSet("rating", None), SlotSet("rating_asked", True),
                    SlotSet("handoff_ticket", str(recorded.follow_up_ticket))]
        rating_id = str(recorded.id)
    if comment is not None:
        return [SlotSet("rating", None), SlotSet("rating_asked", True),
                *keep_rating_comment(dispatcher, tracker, comment, rating_id)]
    return [SlotSet("rating", None), SlotSet("rating_asked", True),
            SlotSet("rating_id", rating_id), FollowupAction("rating_comment_form")]
