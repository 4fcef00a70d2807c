"""No order to look up, said where the order lookup would start or asks for the number: "i
havent ordered yet" ends it (or keeps it from starting) with `action_no_order_yet`, "i bought it
in a shop" with `action_bought_elsewhere`, and a
requirement's reference ("REQ-00015, any news?", "can I add something to REQ-00015?") is
answered for what it is with `action_requirement_reference` (actions/no_order_yet.py), in
the order lookup or outside any form, and the reply to "What would you like to add to
REQ-…?" is added to the requirement (`action_add_requirement_note`,
actions/requirement_notes.py) unless it asks for a person or names an order. Inside the form,
so its prediction overrules the form's next step."""

from __future__ import annotations

from typing import Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from actions.no_order_yet import (ACTION_NAME, BOUGHT_ELSEWHERE_ACTION, FORM, ORDER_TASK_INTENTS, REFERENCE_ACTION,
                                  says_not_ordered_yet)
from company.shop_visits import says_bought_elsewhere
from actions.requirement_notes import ACTION_NAME as NOTE_ACTION, ASK_RESPONSE, requirement_reference
from bot.policies.written import WrittenPolicy, response_before_latest_message

# a reply to "What would you like to add to REQ-…?" that is no addition
NOT_A_NOTE = frozenset({"request_human"})


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class NoOrderYetPolicy(WrittenPolicy):
    # priority 7 (WrittenPolicy): above the rules and the forms, under the escalation (8)
    overrules_forms = True

    def next_action(self, tracker: DialogueStateTracker, domain: Domain) -> Optional[str]:
        message = tracker.latest_message
        if tracker.latest_action_name == NOTE_ACTION:
            return ACTION_LISTEN_NAME
        if message is None or tracker.latest_action_name != ACTION_LISTEN_NAME:
            return None
        if not tracker.active_loop_name and self._adds_a_note(tracker):
            return NOTE_ACTION
        asks_number = tracker.active_loop_name == FORM and tracker.get_slot("requested_slot") == "order_number"
        starts_lookup = not tracker.active_loop_name and message.intent.get("name") in ORDER_TASK_INTENTS
        if any(e.get("entity") == "order_number" for e in message.entities):
            return None
        text = message.text or ""
        if (asks_number or not tracker.active_loop_name) and requirement_reference(text):
            # outside a form too: "can I add something to my request REQ-00015? we also want
            # 250 coasters" started a new 5W1H interview, and a second sheet (a customer run)
            return REFERENCE_ACTION
        if (asks_number or not tracker.active_loop_name) and says_bought_elsewhere(text):
            # "i bought it in a shop actually" after a warranty answer started the lookup
            # (inform, 0.61), and it asked for the number twice (a customer run)
            return BOUGHT_ELSEWHERE_ACTION
        if not (asks_number or starts_lookup):
            return None
        return ACTION_NAME if says_not_ordered_yet(text) else None

    @staticmethod
    def _adds_a_note(tracker: DialogueStateTracker) -> bool:
        """Whether the latest message replies to "What would you like to add to REQ-…?"."""
        if response_before_latest_message(tracker) != ASK_RESPONSE:
            return False
        message = tracker.latest_message
        return (message.intent.get("name") not in NOT_A_NOTE
                and not any(e.get("entity") == "order_number" for e in message.entities))
