"""No order yet, said where the order lookup asks for the number ("i havent ordered yet"):
`action_no_order_yet` ends the lookup and answers (actions/no_order_yet.py). Inside the form,
so its prediction overrules the form's next step."""

from __future__ import annotations

from typing import Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from actions.no_order_yet import ACTION_NAME, FORM, says_not_ordered_yet
from bot.policies.written import WrittenPolicy, message_in_form


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class NoOrderYetPolicy(WrittenPolicy):
    # priority 7 (WrittenPolicy): above the rules and the forms, under the escalation (8)
    overrules_forms = True

    def next_action(self, tracker: DialogueStateTracker, domain: Domain) -> Optional[str]:
        message = message_in_form(tracker, {FORM})
        if message is None or tracker.get_slot("requested_slot") != "order_number":
            return None
        if any(e.get("entity") == "order_number" for e in message.entities):
            return None
        return ACTION_NAME if says_not_ordered_yet(message.text or "") else None
