"""A request for work the shop does not do ("can you build a booking app for my salon") is
told what the shop does instead (`RESPONSE`), not taken through the 5W1H interview and filed
for the product team as if it could be delivered (needs/work_not_offered.py decides)."""

from __future__ import annotations

from typing import Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from bot.policies.written import WrittenPolicy
from needs.work_not_offered import work_not_offered

RESPONSE = "utter_needs_work_not_offered"
# what such a request reads as: a new requirement, or nothing the assistant is sure of
READ_AS = frozenset({"describe_need", "nlu_fallback", "out_of_scope"})


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class WorkNotOfferedPolicy(WrittenPolicy):
    # priority 7 (WrittenPolicy): above the rules, under the escalation (8), outside forms
    def next_action(self, tracker: DialogueStateTracker, domain: Domain) -> Optional[str]:
        message = tracker.latest_message
        if tracker.active_loop_name or message is None:
            return None
        if tracker.latest_action_name == RESPONSE:
            return ACTION_LISTEN_NAME
        if tracker.latest_action_name != ACTION_LISTEN_NAME or message.intent.get("name") not in READ_AS:
            return None
        return RESPONSE if work_not_offered(message.text or "") else None
