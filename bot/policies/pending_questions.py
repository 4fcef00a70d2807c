"""A frequent question asked where a yes or no is awaited is answered, and the question asked
again. "yes please. also how much is delivery to ireland" to "Are you sure you want to cancel
the whole order?" got the delivery cost, and the cancellation was dropped: the rules that read
the reply follow only the question itself, so the next "yes" was not understood. Where the
bot's last action before the customer's message asked one of `ASKED_BY` (and its slot says
the offer stands), a frequent question (actions.frequent_questions.ANSWERED_BY) that the question's own
reply-reading rules do not take gets its answer, then the question is asked again; the yes
in such a message is never taken. A reply that only hesitates ("hmm", "k?") gets the question
again. Never in a form; the escalation (priority 8) comes first.

Where the question's rules read only the deny intent (`declined_by`), a no in words the model
reads otherwise ("hmm no not yet. i'll wait till the order arrives" to "close your account?",
read as an order question: the question was answered as one and asked again, a customer run)
gets the no's answer (actions/confirmation_replies.py reads the words; a question is not a no).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, FrozenSet, Optional, Tuple

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from actions.confirmation_replies import asks_a_question, confirmation_answer
from actions.frequent_questions import ANSWERED_BY
from bot.policies.written import WrittenPolicy, question_before_latest_message
from handoff.hesitation import HESITANT


@dataclass(frozen=True)
class AwaitedReply:
    # the action that asks the question again
    asked_again_by: str
    # the slot that is True while the offer stands (None: the question alone says it)
    standing: Optional[str] = None
    # frequent questions the question's own rules read in its context (data/rules)
    read_there: FrozenSet[str] = frozenset()
    # the answer to a no, where the rules read only the deny intent (None: words are read there)
    declined_by: Optional[str] = None


_CANCELLATION = AwaitedReply("action_check_cancellation", "cancel_allowed")
_WARRANTY_CLAIM = AwaitedReply("action_check_return", "warranty_claim_offered",
                               frozenset({"ask_warranty", "ask_return_policy", "ask_free_trial"}))
# the bot's action that asked → what its reply needs (data/rules/orders.yml, account.yml)
ASKED_BY: Dict[str, AwaitedReply] = {
    "action_check_cancellation": _CANCELLATION,
    "action_cancel_reply": _CANCELLATION,
    "action_check_return": _WARRANTY_CLAIM,
    "action_warranty_claim_reply": _WARRANTY_CLAIM,
    "utter_ask_confirm_close_account": AwaitedReply(
        "utter_ask_confirm_close_account", None, frozenset({"ask_plans", "ask_free_trial"}),
        declined_by="utter_close_account_declined"),
    # the 5W1H sheet to confirm: a "hmm" there got "Could you tell me in a few words what you
    # need?" and the interview was lost (4 of 4 in a customer run)
    "utter_needs_sheet": AwaitedReply("utter_needs_sheet"),
}


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class PendingQuestionPolicy(WrittenPolicy):
    # priority 7 (WrittenPolicy): above the rules, under the escalation (8)
    def next_action(self, tracker: DialogueStateTracker, domain: Domain) -> Optional[str]:
        message = tracker.latest_message
        if tracker.active_loop_name or message is None:
            return None
        awaited = ASKED_BY.get(question_before_latest_message(tracker) or "")
        if awaited is None or (awaited.standing is not None and tracker.get_slot(awaited.standing) is not True):
            return None
        latest = tracker.latest_action_name
        if awaited.declined_by is not None and (message.intent.get("name") or "") != "deny":
            if latest == awaited.declined_by:
                return ACTION_LISTEN_NAME
            text = message.text or ""
            if (latest == ACTION_LISTEN_NAME and not asks_a_question(text)
                    and confirmation_answer(text, message.intent.get("name")) is False):
                return awaited.declined_by
        if message.parse_data.get(HESITANT):
            # "hmm", "k?" (handoff/hesitation.py): the question again, nothing taken from it
            chain: Tuple[str, ...] = (ACTION_LISTEN_NAME, awaited.asked_again_by, ACTION_LISTEN_NAME)
            return chain[chain.index(latest) + 1] if latest in chain[:-1] else None
        intent = message.intent.get("name") or ""
        if intent not in ANSWERED_BY or intent in awaited.read_there:
            return None
        chain = (ACTION_LISTEN_NAME, ANSWERED_BY[intent], awaited.asked_again_by, ACTION_LISTEN_NAME)
        return chain[chain.index(latest) + 1] if latest in chain[:-1] else None
