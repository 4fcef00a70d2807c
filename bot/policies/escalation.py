"""Hands a conversation to a person the moment the escalation decision says so.

After every customer message this policy asks `handoff.escalation.decide`; when it says
escalate, the policy predicts `action_handoff` with full confidence and as a "no user"
prediction, so that it wins over rules, stories and an active form alike (a customer who
gets upset in the middle of a form reaches a person too). After `action_handoff` it ends
the bot's turn. Otherwise it abstains and the other policies decide as usual.
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Text

from rasa.core.policies.policy import PolicyPrediction
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (ActionExecuted, ActiveLoop, BotUttered, SessionStarted,
                                     SlotSet, UserUttered)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.policies.score_answers import answers_score_question
from bot.policies.written import WrittenPolicy
from handoff.escalation import TASK_FORMS, VIP_SLOT, task_intent, turn_decision

HANDOFF_ACTION = "action_handoff"
# what the escalation decision reads of a tracker (bot/policies/order_waits.py reads the same);
# the slots' events only where a form's proof may have shown a VIP (turn_decision)
EVENTS_READ = (UserUttered, ActionExecuted, BotUttered, SessionStarted, ActiveLoop)


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class EscalationPolicy(WrittenPolicy):
    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # above the follow-ups (7) and the rules (6): its action_listen after a handoff wins
        return {"priority": 8}

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: Optional[Dict[Text, Any]] = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        abstain = self._abstain(domain)
        if HANDOFF_ACTION not in domain.action_names_or_texts:
            return abstain
        if tracker.latest_action_name == HANDOFF_ACTION:
            return self._certain(domain, ACTION_LISTEN_NAME, no_user=False)
        latest = tracker.latest_action_name
        if (latest != ACTION_LISTEN_NAME and latest not in TASK_FORMS) or tracker.latest_message is None:
            return abstain
        task, read = None, EVENTS_READ
        if latest in TASK_FORMS:  # the form that proved who the customer is (turn_decision)
            task = _task_intent(tracker, domain, TASK_FORMS[latest])
            if task is None or tracker.get_slot(VIP_SLOT) is not True:
                return abstain
            read = (*EVENTS_READ, SlotSet)
        events = [event.as_dict() for event in tracker.events if isinstance(event, read)]
        decision = turn_decision(events, tracker.current_slot_values(), task,
                                 score_answer=answers_score_question(tracker))
        if decision is None or not decision.escalate:
            return abstain
        return self._certain(domain, HANDOFF_ACTION, no_user=True)


def _task_intent(tracker: DialogueStateTracker, domain: Domain, slot_name: str) -> Optional[str]:
    """The intent of the task the task slot `slot_name` holds, by its mappings in the domain."""
    slot = next((slot for slot in domain.slots if slot.name == slot_name), None)
    if slot is None:
        return None
    return task_intent(tracker.get_slot(slot_name), slot.mappings)
