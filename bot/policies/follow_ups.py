"""Answers a short message that goes on with the last lookup ("what about france?" after the
delivery costs to Germany) as that lookup, at once: handoff.follow_ups decides which.

It predicts the lookup's action with full confidence above the rules (whose answer to such
a message is the clarification's button, or Rasa's "didn't quite get that"), then ends the
bot's turn after it. A detail of the product just answered, asked with no product named, gets
the product answer again, which reads the product from the conversation. Never in a form, and never against the escalation decision, whose
predictions are "no user" ones and win over these.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from actions.leaning_questions import refers_back
from actions.product_details import PRODUCT_TOPICS, asks_for_a_price_extreme, detail_asked
from bot.policies.written import WrittenPolicy
from handoff.follow_ups import LOOKUP_ACTIONS, LOOKUPS, TURNS_BACK, follow_up_action


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT, is_trainable=True
)
class FollowUpPolicy(WrittenPolicy):
    # priority 7 (WrittenPolicy): above the rules, under the escalation (8)
    def next_action(self, tracker: DialogueStateTracker, domain: Domain) -> Optional[str]:
        if tracker.active_loop_name or tracker.latest_message is None:
            return None
        latest = tracker.latest_action_name
        if latest != ACTION_LISTEN_NAME and latest not in LOOKUP_ACTIONS:
            return None
        recent = _recent_messages(tracker)
        action = follow_up_action(recent) or _detail_of_the_product_answered(recent)
        if action is None or action not in domain.action_names_or_texts:
            return None
        # the lookup, then the customer's turn again
        return action if latest == ACTION_LISTEN_NAME else ACTION_LISTEN_NAME


PRODUCT_ANSWER = LOOKUPS["ask_product"][0]
# readings of a product's detail asked with no product named that no rule answers
_DETAIL_MISREAD = frozenset({"inform", "out_of_scope"})
# ... and another topic's reading, not sure, of one that points back at the product ("can i set
# it on a schedule" after the robot vacuum: opening hours at 0.70, a customer run)
_SURE_OF_ANOTHER_TOPIC = 0.9


def _detail_of_the_product_answered(recent: List[Dict[str, Any]]) -> Optional[str]:
    """The product answer again, for a detail of the product just answered ("and how long does
    the battery last" after the Nimbus Headphones' price, read as a detail told with none in
    it, got "Sorry, I didn't quite get that": a customer run); None otherwise."""
    if len(recent) < 2:
        return None
    latest, before = (message.get("parse_data") or {} for message in recent[-1:-3:-1])
    if latest.get("entities") or (before.get("intent") or {}).get("name") not in PRODUCT_TOPICS:
        return None
    text = str(recent[-1].get("text") or "")
    read = latest.get("intent") or {}
    if read.get("name") not in _DETAIL_MISREAD and not (
            read.get("name") not in PRODUCT_TOPICS and float(read.get("confidence") or 0.0) < _SURE_OF_ANOTHER_TOPIC
            and refers_back(text) and detail_asked(text) is not None):
        return None
    return PRODUCT_ANSWER if detail_asked(text) is not None or asks_for_a_price_extreme(text) else None


def _recent_messages(tracker: DialogueStateTracker) -> List[Dict[str, Any]]:
    """The session's last customer messages that the decision reads, as dicts, oldest first:
    a turn converts these, not the whole conversation."""
    recent: List[Dict[str, Any]] = []
    for event in reversed(tracker.events):
        if isinstance(event, SessionStarted) or len(recent) > TURNS_BACK:
            break
        if isinstance(event, UserUttered):
            recent.append(event.as_dict())
    return recent[::-1]
