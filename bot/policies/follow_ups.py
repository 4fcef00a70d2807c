"""Answers a short message that goes on with the last lookup ("what about france?" after the
delivery costs to Germany) as that lookup, at once: handoff.follow_ups decides which.

It predicts the lookup's action with full confidence above the rules (whose answer to such
a message is the clarification's button, or Rasa's "didn't quite get that"), then ends the
bot's turn after it. Never in a form, and never against the escalation decision, whose
predictions are "no user" ones and win over these.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.policies.written import WrittenPolicy
from handoff.follow_ups import LOOKUP_ACTIONS, TURNS_BACK, follow_up_action


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
        action = follow_up_action(_recent_messages(tracker))
        if action is None or action not in domain.action_names_or_texts:
            return None
        # the lookup, then the customer's turn again
        return action if latest == ACTION_LISTEN_NAME else ACTION_LISTEN_NAME


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
