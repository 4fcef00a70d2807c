"""A request for work the shop does not do ("can you build a booking app for my salon") is
told what the shop does instead (`RESPONSE`), not taken through the 5W1H interview and filed
for the product team as if it could be delivered (needs/work_not_offered.py decides)."""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.events import UserUttered

from bot.policies.written import OneAnswerPolicy
from needs.work_not_offered import work_not_offered

RESPONSE = "utter_needs_work_not_offered"
# what such a request reads as: a new requirement, or nothing the assistant is sure of
READ_AS = frozenset({"describe_need", "nlu_fallback", "out_of_scope"})


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class WorkNotOfferedPolicy(OneAnswerPolicy):
    # priority 7 (WrittenPolicy): above the rules, under the escalation (8), outside forms
    ANSWER = RESPONSE
    READ_AS = READ_AS

    def answers(self, message: UserUttered) -> bool:
        return work_not_offered(message.text or "")
