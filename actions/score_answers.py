"""`action_record_rating` and `action_record_nps`: a message the NLU read as a score.

The NLU names a typed number `rate` or `nps` without knowing what was asked, so both actions
go by the question the message answers (actions.scores): after the rating question it is a
rating (actions.ratings), after the NPS question an NPS answer (actions.nps). A number that
answers no question (nothing was asked, or the question already has its answer) is just a
message: nothing is stored, no ticket is opened and no comment is asked for.
"""

from __future__ import annotations

from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.nps import answer_nps
from actions.ratings import answer_rating
from actions.scores import NPS, answered_question


def answer_score(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    """Records the score as the answer to the question it answers, or says why it does not."""
    question = answered_question(tracker)
    if question is None:
        dispatcher.utter_message(response="utter_score_not_asked")
        return [SlotSet("rating", None), SlotSet("nps_score", None)]
    if question.kind == NPS:
        return answer_nps(dispatcher, tracker, question)
    return answer_rating(dispatcher, tracker, question)


class ActionRecordRating(Action):
    def name(self) -> Text:
        return "action_record_rating"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        return answer_score(dispatcher, tracker)


class ActionRecordNps(Action):
    def name(self) -> Text:
        return "action_record_nps"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        return answer_score(dispatcher, tracker)
