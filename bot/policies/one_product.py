"""A "need" that is one of the shop's products for the customer themself ("I need a new chair
for my home office") gets that product's answer (`action_product_info`), not the 5W1H
interview for a business request (needs/one_product.py decides)."""

from __future__ import annotations

from typing import Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from actions.returns import tells_a_fault
from bot.policies.written import WrittenPolicy
from needs.one_product import wants_one_product

ACTION = "action_product_info"
# what such a request reads as: a new requirement, or nothing the assistant is sure of
READ_AS = frozenset({"describe_need", "nlu_fallback"})


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class OneProductPolicy(WrittenPolicy):
    # priority 7 (WrittenPolicy): above the rules, under the escalation (8), outside forms
    def next_action(self, tracker: DialogueStateTracker, domain: Domain) -> Optional[str]:
        message = tracker.latest_message
        if tracker.active_loop_name or message is None:
            return None
        if tracker.latest_action_name == ACTION:
            return ACTION_LISTEN_NAME
        if tracker.latest_action_name != ACTION_LISTEN_NAME or message.intent.get("name") not in READ_AS:
            return None
        text = message.text or ""
        # a fault told of one the customer has ("my desk chair keeps sinking down") is no wish
        # for a new one: the help centre's
        return ACTION if wants_one_product(text, message.entities) and not tells_a_fault(text) else None
