"""A fault told where the assistant asked what to do with an order ("What would you like to do
with order HG-…?" after its email or postcode came alone) starts that order's return, the
fault kept as its reason (`action_report_fault`, then the order check). "its faulty i want it
fixed or replaced" there is `inform` to the model, a detail like a return's reason, and got
"Sorry, I didn't quite get that" (a customer run). Only a fault or damage counts
(actions/returns.tells_a_fault): "i changed my mind" there may as well be a cancellation.
"""

from __future__ import annotations

from typing import Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from actions.returns import tells_a_fault
from bot.policies.written import WrittenPolicy, response_before_latest_message

REPORT_ACTION = "action_report_fault"
ORDER_FORM = "order_form"
# the question the fault answers (actions/orders.py, ActionProofWithoutATask)
ORDER_OPTIONS = "utter_order_options"
# readings that name no task of their own: a fault told reads as a detail, or as nothing sure
_NO_TASK = frozenset({"inform", "nlu_fallback", "out_of_scope", "complaint"})


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class FaultAtOrderOptionsPolicy(WrittenPolicy):
    # priority 7 (WrittenPolicy): above the rules, under the escalation (8)
    def next_action(self, tracker: DialogueStateTracker, domain: Domain) -> Optional[str]:
        if tracker.active_loop_name or tracker.latest_message is None:
            return None
        if response_before_latest_message(tracker) != ORDER_OPTIONS:
            return None
        if tracker.latest_action_name == REPORT_ACTION:
            return ORDER_FORM  # the order, proved by the email or postcode kept, then its return
        if tracker.latest_action_name != ACTION_LISTEN_NAME:
            return None
        intent = (tracker.latest_message.intent or {}).get("name")
        return REPORT_ACTION if intent in _NO_TASK and tells_a_fault(tracker.latest_message.text) else None
