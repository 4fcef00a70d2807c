""""will it arrive by friday tho?" or "so it will be there in time?" about the order whose
status was just told is answered against its arrival, and "roughly when will it get to me?" with it (`action_order_arrival`,
actions/arrivals.py). After "It should arrive by Wednesday 9 December" the first got "I can't
make it come any faster" (the wait's answer), the second the opening hours (a customer run).
Outside forms, for the order the customer proved; a message naming another order is left to
the order lookup."""

from __future__ import annotations

from typing import Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from actions.arrivals import ACTION_NAME
from bot.policies.written import WrittenPolicy, question_before_latest_message
from company.delivery_days import arrival_deadline, asks_when_it_arrives
from company.identifiers import normalise_order_number
from ground.clock import utcnow


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class ArrivalQuestionPolicy(WrittenPolicy):
    # priority 7 (WrittenPolicy): above the rules, under the escalation (8)
    def next_action(self, tracker: DialogueStateTracker, domain: Domain) -> Optional[str]:
        if tracker.latest_action_name == ACTION_NAME:
            return ACTION_LISTEN_NAME
        return ACTION_NAME if asks_when_the_proved_order_arrives(tracker) else None


# the answers right after which "when will it arrive?" is about the order just told
_ABOUT_THE_ORDER = frozenset({"action_order_status", "action_other_order_status", ACTION_NAME})


def asks_when_the_proved_order_arrives(tracker: DialogueStateTracker) -> bool:
    """Whether the latest message, outside forms, asks whether the order the customer proved
    arrives by a day (the wait's answer, bot/policies/order_waits.py, leaves it to this one:
    "i need it for a party" is impatience too, but the day asked about is the question)."""
    message = tracker.latest_message
    if (tracker.active_loop_name or message is None or tracker.latest_action_name != ACTION_LISTEN_NAME
            or not tracker.get_slot("verified_order")):
        return False
    named = {normalise_order_number(str(e.get("value"))) for e in message.entities
             if e.get("entity") == "order_number"}
    if named - {tracker.get_slot("verified_order")}:
        return False
    if arrival_deadline(message.text or "", utcnow().date()) is not None:
        return True
    # with no day named, only right after the order's status or arrival: "how long will it take"
    # later on may be about anything ("… to ship to france")
    return (asks_when_it_arrives(message.text or "") and question_before_latest_message(tracker) in _ABOUT_THE_ORDER
            and not any(e.get("entity") == "country" for e in message.entities))

