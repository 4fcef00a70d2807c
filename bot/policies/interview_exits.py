"""The 5W1H interview is left when the customer turns to an order or says to stop.

The needs form took every message as the answer to its question: "actually nevermind,
where is my order HG-100005" was filed as the Why, "stop. i dont want this. WHERE IS MY
ORDER" as the Who, and the customer could not get out (a customer run: 4 of 5 such
messages). In the interview, a message that asks about an order
(actions.needs.asks_about_an_order) or leaves it in words (actions.needs.leaves_the_interview)
runs action_leave_needs, which keeps what was told, ends the form and starts the order's
task. A frequent question there is answered by its rule and the interview goes on
(actions.needs._frequent_question).
"""

from __future__ import annotations

from typing import Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from actions.needs import asks_about_an_order, leaves_the_interview
from bot.policies.written import WrittenPolicy, message_in_form

FORM = "needs_form"
LEAVE = "action_leave_needs"


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class InterviewExitPolicy(WrittenPolicy):
    # priority 7 (WrittenPolicy): above the rules (and so the form), under the escalation (8);
    # it acts while the form is active, so it must overrule the form's next step
    overrules_forms = True

    def next_action(self, tracker: DialogueStateTracker, domain: Domain) -> Optional[str]:
        message = message_in_form(tracker, (FORM,))
        if message is None:
            return None
        intent = message.intent.get("name")
        confidence = float(message.intent.get("confidence") or 0.0)
        names_an_order = any(e.get("entity") == "order_number" for e in message.entities)
        if asks_about_an_order(intent, confidence, names_an_order) or leaves_the_interview(message.text or ""):
            return LEAVE
        return None
