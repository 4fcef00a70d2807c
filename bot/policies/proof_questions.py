"""Why the proof is asked, asked in a form that asks for it (actions/proof_questions.py):
`action_why_proof` answers, and the form asks its question again; so does
`action_where_order_number`, for where to find the order number where the number is asked. Inside the form, so its
prediction overrules the form's next step."""

from __future__ import annotations

from typing import Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from actions.proof_questions import (ACTION_NAME, PROOF_FORMS, PROOF_SLOTS, WHERE_NUMBER_ACTION,
                                    asks_where_the_number_is, asks_why_proof, offers_a_phone_number)
from bot.policies.written import WrittenPolicy, message_in_form

PROOF_ENTITIES = frozenset({"email", "postcode"})


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class ProofQuestionPolicy(WrittenPolicy):
    # priority 7 (WrittenPolicy): above the rules and the forms, under the escalation (8)
    overrules_forms = True

    def next_action(self, tracker: DialogueStateTracker, domain: Domain) -> Optional[str]:
        message = message_in_form(tracker, PROOF_FORMS)
        if message is None or any(e.get("entity") in PROOF_ENTITIES for e in message.entities):
            return None
        if asks_why_proof(message.text or ""):
            return ACTION_NAME
        # a phone number offered where an email address or a postcode proves it
        if tracker.get_slot("requested_slot") in PROOF_SLOTS and offers_a_phone_number(message.text or ""):
            return ACTION_NAME
        # where the order number is, asked where the order check asks for it
        if tracker.get_slot("requested_slot") == "order_number" and asks_where_the_number_is(message.text or ""):
            return WHERE_NUMBER_ACTION
        return None
