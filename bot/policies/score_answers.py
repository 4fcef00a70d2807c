"""A score that opens a message saying why, where a score was asked, is recorded as the score.
"2, and honestly your delivery is always late" to "How would you rate the help you got?" was
read as a delivery question: the delivery text was the answer, and the rating (and the
complaint in it) were lost. Where the bot's last message before the customer's was a score
question (actions.scores.QUESTIONS) and the message opens with a score on its scale
(actions.scores.opening_score), the score's actions run as the rules run them for a `rate`
or `nps` message, whatever the intent. A bare number is the rules' (it reads as `rate` or
`nps`); the escalation decision (priority 8) still comes first.
"""

from __future__ import annotations

from typing import Dict, Optional, Tuple

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from actions.scores import NPS, QUESTIONS, RATING, opening_score
from bot.policies.written import WrittenPolicy, response_before_latest_message

# the question's kind → the actions the rules run after a score (data/rules/handoff.yml,
# data/rules/aftercare.yml)
STEPS: Dict[str, Tuple[str, ...]] = {
    RATING: ("action_record_rating",),
    NPS: ("action_record_nps",),
}
# the intents whose score the rules record already
_SCORE_INTENTS = frozenset({"rate", "nps"})


def score_question_before_latest_message(tracker: DialogueStateTracker) -> Optional[str]:
    """The kind of score question the bot's last message before the customer's latest one
    asked, if it was one."""
    return QUESTIONS.get(response_before_latest_message(tracker) or "")


def answers_score_question(tracker: DialogueStateTracker) -> bool:
    """Whether the customer's latest message answers the rating question just asked: a score
    the NLU read, or a message that opens with one. Only the rating: a low one opens its
    follow-up ticket (handoff.ratings), an NPS score none, so its words decide as before."""
    message = tracker.latest_message
    kind = score_question_before_latest_message(tracker)
    if kind != RATING or message is None:
        return False
    return message.intent.get("name") in _SCORE_INTENTS or opening_score(message.text, kind) is not None


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class ScoreAnswerPolicy(WrittenPolicy):
    # priority 7 (WrittenPolicy): above the rules, under the escalation (8)
    def next_action(self, tracker: DialogueStateTracker, domain: Domain) -> Optional[str]:
        message = tracker.latest_message
        if tracker.active_loop_name or message is None or message.intent.get("name") in _SCORE_INTENTS:
            return None
        kind = score_question_before_latest_message(tracker)
        if kind is None or opening_score(message.text, kind) is None:
            return None
        chain = (ACTION_LISTEN_NAME, *STEPS[kind], ACTION_LISTEN_NAME)
        latest = tracker.latest_action_name
        return chain[chain.index(latest) + 1] if latest in chain[:-1] else None
