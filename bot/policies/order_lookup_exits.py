"""Words that leave the order lookup end it (actions/order_lookup_exits.py): the form read
"forget the order", "I don't have an order number" and "start over" as answers to its
question, asked it again, and the customer could not get out (a customer run). Inside the
form, so its prediction overrules the form's next step; a message naming an order number is
left to the form."""

from __future__ import annotations

from typing import Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from actions.order_lookup_exits import ACTION_NAME, ASKED_SLOTS, leaves_the_lookup
from bot.policies.written import WrittenPolicy

FORM = "order_form"
# a "no" or a "stop" ends the lookup by the rules (data/rules/forms.yml)
_RULES_READ = frozenset({"deny", "stop_contact"})


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class OrderLookupExitPolicy(WrittenPolicy):
    # priority 7 (WrittenPolicy): above the rules and the forms, under the escalation (8)
    overrules_forms = True

    def next_action(self, tracker: DialogueStateTracker, domain: Domain) -> Optional[str]:
        message = tracker.latest_message
        if tracker.latest_action_name == ACTION_NAME:
            return ACTION_LISTEN_NAME
        if (message is None or tracker.latest_action_name != ACTION_LISTEN_NAME or tracker.active_loop_name != FORM
                or tracker.get_slot("requested_slot") not in ASKED_SLOTS):
            return None
        if any(e.get("entity") == "order_number" for e in message.entities) or message.intent.get("name") in _RULES_READ:
            return None
        return ACTION_NAME if leaves_the_lookup(message.text or "", tracker.get_slot("requested_slot")) else None
