"""A "yes" or "no" to "Did that answer your question?" after a help-centre passage that a
topic's own answer gave: the customs section with the delivery answer, when the Harbor Club
benefits start with the plans or the warranty answer, a price-matching or team-task answer.

"Yes, thanks" there got "Sorry, I didn't quite get that" (2 of 2 in a customer run): the
rules read those replies only right after `action_clarify` (data/rules/fallback.yml), which
gives most passages. Here the same happens after any action: "yes" is thanked
(`action_help_article_helped`), "no" offers what the question likely meant (`action_clarify`,
which reads the question the passage answered).

Two more replies go to `action_clarify`, whichever action gave the passage: a short question
pointing back at it ("how long are they valid for?"), whose search finds the same article,
read as a topic the model is not sure of; and one read as a detail told with nothing in it
(inform, no entities), which no rule answers.

A "no" there taken back after the topics or the person it brought ("its fine it did answer,
i clicked wrong. bye": handoff.escalation.takes_back_the_no) is glad it helped after all
(`action_help_article_helped_after_all`), whatever the model read.
"""

from __future__ import annotations

from typing import Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered
from rasa.shared.core.trackers import DialogueStateTracker

from actions.fallback import ACTION_NAME as CLARIFY
from actions.help_centre import ASK_HELPED_RESPONSE, HELP_ARTICLE, LEANING_FLOOR, quoted_article
from actions.leaning_questions import refers_back
from actions.help_no_taken_back import ACTION_NAME as HELPED_AFTER_ALL
from bot.policies.written import (WrittenPolicy, between_last_two_messages, question_before_latest_message,
                                  response_before_latest_message)
from handoff.escalation import takes_back_the_no

HELPED = "action_help_article_helped"
_REPLIES = {"affirm": HELPED, "deny": CLARIFY}
# a topic read this surely is the question, even pointing back at a passage
SURE_OF_THE_TOPIC = 0.9
INFORM = "inform"


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class HelpAnswerReplyPolicy(WrittenPolicy):
    # priority 7 (WrittenPolicy): above the rules, under the escalation (8)
    def next_action(self, tracker: DialogueStateTracker, domain: Domain) -> Optional[str]:
        if tracker.active_loop_name or tracker.latest_message is None:
            return None
        if tracker.latest_action_name == HELPED_AFTER_ALL:
            return ACTION_LISTEN_NAME
        said = response_before_latest_message(tracker)
        if said == ASK_HELPED_RESPONSE and (self._leans_on_the_article(tracker)
                                            or self._tells_nothing_the_model_reads(tracker)):
            # the passage of the article just shown, then the customer's turn
            return CLARIFY if tracker.latest_action_name == ACTION_LISTEN_NAME else (
                ACTION_LISTEN_NAME if tracker.latest_action_name == CLARIFY else None)
        if tracker.latest_action_name == ACTION_LISTEN_NAME and self._takes_back_the_no(tracker):
            return HELPED_AFTER_ALL
        if tracker.latest_action_name in _REPLIES.values():
            # the reply answered: the customer's turn, unless the answer chose what comes next
            return ACTION_LISTEN_NAME if self._replied_to_an_article(tracker) else None
        if tracker.latest_action_name != ACTION_LISTEN_NAME or not self._replied_to_an_article(tracker):
            return None
        return _REPLIES.get(tracker.latest_message.intent.get("name") or "")

    @staticmethod
    def _replied_to_an_article(tracker: DialogueStateTracker) -> bool:
        """Whether the latest message answers "Did that answer your question?" asked by an
        action other than action_clarify (whose replies are the rules')."""
        return (response_before_latest_message(tracker) == ASK_HELPED_RESPONSE
                and question_before_latest_message(tracker) != CLARIFY)

    @staticmethod
    def _leans_on_the_article(tracker: DialogueStateTracker) -> bool:
        """Whether the latest message is a short question pointing back at the passage just
        given, whose search finds that same article, read as a topic the model is not sure
        of: "how long are they valid for?" after the gift cards got the warranty (ask_warranty
        0.55, a customer run)."""
        latest = tracker.latest_message
        intent = latest.intent or {}
        if (intent.get("name") in _REPLIES
                or float(intent.get("confidence") or 0.0) >= SURE_OF_THE_TOPIC or not refers_back(latest.text or "")):
            return False
        found = (latest.parse_data or {}).get(HELP_ARTICLE) or {}
        shown = next((slug for event in between_last_two_messages(tracker) if isinstance(event, BotUttered)
                      and (slug := quoted_article(event.metadata or {})) is not None), None)
        return (isinstance(found, dict) and shown is not None and found.get("slug") == shown
                and float(found.get("score") or 0.0) >= LEANING_FLOOR)

    @staticmethod
    def _tells_nothing_the_model_reads(tracker: DialogueStateTracker) -> bool:
        """Whether the reply to "Did that answer your question?" reads as a detail told with no
        detail in it (inform, no entities), which no rule answers: "no, i descale it. it just
        doesnt turn on anymore, can i get it fixed" after the kettle's limescale passage got
        "Sorry, I didn't quite get that" (a customer run); action_clarify reads it (a fault)."""
        latest = tracker.latest_message
        return (latest.intent or {}).get("name") == INFORM and not latest.entities

    @staticmethod
    def _takes_back_the_no(tracker: DialogueStateTracker) -> bool:
        """Whether the latest message takes back a "no" to an article (whichever action
        asked), said to what that "no" brought."""
        return takes_back_the_no(response_before_latest_message(tracker), tracker.latest_message.text or "")
