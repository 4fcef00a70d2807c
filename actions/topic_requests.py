"""A topic asked for by a button's payload, run from an action: the order tasks start the
order check with their task, the frequent questions get their answer.

A typed "yes" to "Is it about 'Track an order', as before, or one of these?" got "Could you
tell me in a few words what you need?" (2 of 2 in a customer run): the yes picks the topic
offered first, as pressing its button does (actions/help_centre.py).
"""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional, Tuple

from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.types import DomainDict

from actions.frequent_questions import ANSWERED_BY, STARTED_BY


def order_task_of(intent: Optional[str], domain: DomainDict) -> Optional[str]:
    """The order task an intent names, as the domain's `order_task` slot maps it."""
    mappings = domain.get("slots", {}).get("order_task", {}).get("mappings", [])
    return next((m.get("value") for m in mappings
                 if m.get("type") == "from_intent" and m.get("intent") == intent), None)


def read_payload(payload: str) -> Tuple[Optional[str], Dict[str, Any]]:
    """A button's payload ('/ask_shipping{"country": "Ireland"}') as its intent and details."""
    if not payload.startswith("/"):
        return None, {}
    name, _, details = payload[1:].partition("{")
    try:
        entities = json.loads("{" + details) if details else {}
    except ValueError:
        entities = {}
    return name or None, entities if isinstance(entities, dict) else {}


def topic_events(payload: str, domain: DomainDict) -> Optional[List[EventType]]:
    """What runs the topic `payload` asks for, or None for a topic no action starts alone."""
    intent, details = read_payload(payload)
    task = order_task_of(intent, domain)
    slots = [SlotSet(name, value) for name, value in details.items() if name in domain.get("slots", {})]
    if task is not None:
        return [*slots, SlotSet("order_task", task), FollowupAction("order_form")]
    if intent in ANSWERED_BY:
        return [*slots, FollowupAction(ANSWERED_BY[intent])]
    if intent in STARTED_BY:
        return [*slots, FollowupAction(STARTED_BY[intent])]
    return None
