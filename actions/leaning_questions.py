"""A short question that leans on the assistant's last answer ("how much is it", "and how
long does it take" after the delivery answer): alone, it reads as out of scope or unclear,
so action_clarify offers the topic the customer was just answered on first, instead of
"that's not something I can help with"; with a detail of its own ("what about france" after
the delivery answer for Ireland), that topic with the new detail comes even before a help
article. It is offered as a button, never answered as if understood: the customer may have
moved on. (A continuation with a new detail of a lookup that changes nothing, "and spain"
after the delivery costs to Germany, is answered at once instead: handoff/follow_ups.py.)"""

from __future__ import annotations

import itertools
import json
import re
from typing import AbstractSet, Any, Dict, Mapping, Optional, Tuple

from rasa_sdk import Tracker

from actions.tracker_reading import message_intent, session_messages_newest_first
from handoff.follow_ups import CONTINUING

# such a question is short, and points back with a pronoun or an "and …" / "what about …"
MAX_LEANING_WORDS = 10
TURNS_BACK = 3  # customer turns back (answers to the assistant's questions included)
_POINTING_WORDS = frozenset({"it", "its", "that", "this", "those", "these", "them", "they"})
# the details asked again with the topic: never the customer's identity (an email or
# postcode a failed check cleared would be tried again), and short
DETAILS_KEPT = frozenset({"country", "product", "plan"})
MAX_PAYLOAD = 300


def refers_back(text: str) -> bool:
    """True for a short message that leans on what was said before it."""
    if not short_enough_to_lean(text):
        return False
    words = re.findall(r"[a-z']+", text.lower())
    return bool(CONTINUING.match(text)) or any(word in _POINTING_WORDS for word in words)


def short_enough_to_lean(text: str) -> bool:
    """Whether a message is short enough to be a question leaning on the answer before it."""
    return 0 < len(re.findall(r"[a-z']+", text.lower())) <= MAX_LEANING_WORDS


def previous_request(tracker: Tracker, not_topics: AbstractSet[str]) -> Optional[Dict[str, Any]]:
    """The customer's last request (a user event) before the latest message in this session,
    a few turns back at most: the last message read as a topic, not as `not_topics`."""
    earlier = itertools.islice(session_messages_newest_first(tracker), 1, 1 + TURNS_BACK)
    return next((event for event in earlier  # the latest message itself skipped
                 if message_intent(event) and message_intent(event) not in not_topics), None)


def previous_topic(tracker: Tracker, not_topics: AbstractSet[str]) -> Optional[Tuple[str, str]]:
    """The topic (intent) of the customer's last request before the latest message in this
    session, a few turns back at most, with the button payload that asks it again with the
    same details ('/ask_shipping{"country": "Ireland"}'); None when there is none."""
    event = previous_request(tracker, not_topics)
    if event is None:
        return None
    parse_data = event.get("parse_data") or {}
    name = str(message_intent(event))
    # the latest message's own details win: "what about france" after Ireland
    details = {**kept_details(parse_data), **kept_details(tracker.latest_message)}
    payload = f"/{name}" + (json.dumps(details) if details else "")
    return name, payload if len(payload) <= MAX_PAYLOAD else f"/{name}"


def kept_details(parse_data: Mapping[str, Any]) -> Dict[str, Any]:
    """The details of a message that a topic is asked again with (a country, a product, a
    plan)."""
    return {item["entity"]: item["value"] for item in parse_data.get("entities") or []
            if item.get("entity") in DETAILS_KEPT and item.get("value")}
