"""A "no" to "Did that answer your question?" taken back: "its fine it did answer, i clicked
wrong. bye", said to the topics or the person offered after the no.

It fell back, and as a second miss handed the customer to a person (a customer run). The
words are read by handoff.escalation.takes_back_the_no, the turn is a yes there, and
bot/policies/help_answer_replies.py runs this: glad it helped, and with a goodbye, the goodbye
and the rating asked as at any goodbye. The trainer workbench no longer lists the question
as unhelpful (trainer/inbox.py reads GLAD_AFTER_ALL).
"""

from __future__ import annotations

import re
from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.feedback import ActionOfferRating
from handoff.escalation import GLAD_AFTER_ALL

ACTION_NAME = "action_help_article_helped_after_all"
_GOODBYE = re.compile(r"\b(?:bye|goodbye|bye\s*bye|byee+|cya|see\s+(?:ya|you)|that'?s\s+all|thats\s+all)\b",
                      re.IGNORECASE)


class ActionHelpArticleHelpedAfterAll(Action):
    """Glad the passage helped; a goodbye said with it ends the conversation as goodbyes do."""

    def name(self) -> Text:
        return ACTION_NAME

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        dispatcher.utter_message(response=GLAD_AFTER_ALL)
        if _GOODBYE.search((tracker.latest_message or {}).get("text") or "") is None:
            dispatcher.utter_message(response="utter_anything_else")
            return []
        dispatcher.utter_message(response="utter_goodbye")
        return await ActionOfferRating().run(dispatcher, tracker, domain)
