"""A yes in the customer's own words to a question whose yes the rules take only as `affirm`.

"yes. how long till someone gets back to me?" to the 5W1H sheet's "Is that all correct?" was
read as a question about returns: the returns policy was the answer, the sheet was never
saved, and the buttons after it no longer worked. Where the bot's last question is in
`AGREED`, a message that opens with a plain yes (actions.confirmation_replies.
after_a_plain_yes) runs the question's yes action, whatever its intent, and the bot's turn
ends after it. A yes with a condition ("yes but the when should be february") is left to
the rules. Never in a form, and never against the escalation decision (priority 8).
"""

from __future__ import annotations

from typing import Dict, Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from actions.confirmation_replies import after_a_plain_yes
from bot.policies.written import WrittenPolicy, question_before_latest_message
from handoff.escalation import CORRECTION

# the bot's question → what its yes does (the rules' `affirm` step after it)
AGREED: Dict[str, str] = {
    "utter_needs_sheet": "action_save_requirement",
}


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class AgreementPolicy(WrittenPolicy):
    # priority 7 (WrittenPolicy): above the rules, under the escalation (8)
    def next_action(self, tracker: DialogueStateTracker, domain: Domain) -> Optional[str]:
        if tracker.active_loop_name or tracker.latest_message is None:
            return None
        yes_action = AGREED.get(question_before_latest_message(tracker) or "")
        # (a correction of the sheet is the rules' to answer, whatever words come with it)
        if (yes_action is None or tracker.latest_message.intent.get("name") == CORRECTION
                or after_a_plain_yes(tracker.latest_message.text or "") is None):
            return None
        # the yes action, then the customer's turn again
        return {ACTION_LISTEN_NAME: yes_action, yes_action: ACTION_LISTEN_NAME}.get(
            tracker.latest_action_name or "")
