"""Impatience with an order on schedule ("why is it taking so long?" right after "It should
arrive by Tuesday") is answered: the wait acknowledged, nothing faster promised, a person
offered (`action_order_wait`). The complaint rule had handed it to a person, to a queue
the customer could not leave, often with the team away for days. The escalation decision
(handoff.escalation, TurnSignals.impatient_wait) keeps such a turn with the assistant
unless something beside the feeling calls for a person, or the words are distress; its
policy (priority 8) still comes first.
"""

from __future__ import annotations

from typing import Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from bot.policies.arrival_questions import asks_when_the_proved_order_arrives
from bot.policies.escalation import EVENTS_READ
from bot.policies.written import WrittenPolicy, response_before_latest_message
from handoff.escalation import ON_SCHEDULE_ANSWERS, decide, signals_from_events, waits_after_all

ACTION_NAME = "action_order_wait"
# the answer to a no to the person offered (data/rules/orders.yml)
DECLINED = "utter_ok_anything_else"


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class OrderWaitPolicy(WrittenPolicy):
    # priority 7 (WrittenPolicy): above the rules, under the escalation (8)
    def next_action(self, tracker: DialogueStateTracker, domain: Domain) -> Optional[str]:
        if tracker.active_loop_name or tracker.latest_message is None:
            return None
        if tracker.latest_action_name == ACTION_NAME:
            return ACTION_LISTEN_NAME
        if tracker.latest_action_name not in (ACTION_LISTEN_NAME, DECLINED):
            return None
        answer = response_before_latest_message(tracker)
        if waits_after_all(answer, tracker.latest_message.text or ""):
            # "it's fine, I'll wait" to the person offered: a no, which the rules read only
            # when the model does; the no's answer, then the customer's turn again
            return {ACTION_LISTEN_NAME: DECLINED, DECLINED: ACTION_LISTEN_NAME}[tracker.latest_action_name]
        if tracker.latest_action_name != ACTION_LISTEN_NAME or answer not in ON_SCHEDULE_ANSWERS:
            return None  # (every turn: the conversation is read only after an order's status)
        if asks_when_the_proved_order_arrives(tracker):
            return None  # "will it arrive by friday tho? i need it for a party": answered by that day
        events = [event.as_dict() for event in tracker.events if isinstance(event, EVENTS_READ)]
        signals = signals_from_events(events, tracker.current_slot_values())
        if signals is None or not signals.impatient_wait or decide(signals).escalate:
            return None
        return ACTION_NAME
