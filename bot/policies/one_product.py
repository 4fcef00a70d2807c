"""A "need" that is one of the shop's products for the customer themself ("I need a new chair
for my home office") gets that product's answer (`action_product_info`), not the 5W1H
interview for a business request (needs/one_product.py decides)."""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.events import UserUttered

from actions.returns import tells_a_fault
from bot.policies.written import OneAnswerPolicy
from needs.one_product import wants_one_product

ACTION = "action_product_info"
# what such a request reads as: a new requirement, or nothing the assistant is sure of
READ_AS = frozenset({"describe_need", "nlu_fallback"})


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class OneProductPolicy(OneAnswerPolicy):
    # priority 7 (WrittenPolicy): above the rules, under the escalation (8), outside forms
    ANSWER = ACTION
    READ_AS = READ_AS

    def answers(self, message: UserUttered) -> bool:
        text = message.text or ""
        # a fault told of one the customer has ("my desk chair keeps sinking down") is no wish
        # for a new one: the help centre's
        return wants_one_product(text, message.entities) and not tells_a_fault(text)
