"""An account form is left in words (actions/account_form_exits.py decides which), whatever
the intent the model reads them as: "never mind, don't unsubscribe me" was taken as the
address asked for, and "cancel" started an order's cancellation (a customer run)."""

from __future__ import annotations

from typing import Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from actions.account_form_exits import ACTION_NAME, FORMS, SIGN_UP_FORM, leaves_the_form, wants_off_the_list
from bot.policies.written import WrittenPolicy, message_in_form


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class AccountFormExitPolicy(WrittenPolicy):
    # priority 7 (WrittenPolicy): above the rules (and so the form), under the escalation (8)
    overrules_forms = True

    def next_action(self, tracker: DialogueStateTracker, domain: Domain) -> Optional[str]:
        message = message_in_form(tracker, FORMS)
        if message is None or (message.text or "").startswith("/"):
            return None
        text = message.text or ""
        if tracker.active_loop_name == SIGN_UP_FORM and wants_off_the_list(text):
            return ACTION_NAME
        # (read as a "no", the rules leave the form: data/rules/forms.yml)
        if leaves_the_form(text) and message.intent.get("name") != "deny":
            return ACTION_NAME
        return None
