"""Recovery when the assistant did not understand, decided in one place.

The first failed turn offers the most likely topics as buttons (or says the request is out
of scope); after two failed turns in a row it offers a person instead; a customer who turns
that offer down is asked to rephrase. A failed turn is a message understood with too little
confidence (`nlu_fallback`), an out-of-scope message, or a "none of these" answer to the
topics offered.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.conversation import latest_intent, response_text

FAILED_INTENTS = frozenset({"nlu_fallback", "out_of_scope"})
# Intents never offered as a topic: they are answers, not requests.
_NOT_TOPICS = FAILED_INTENTS | {"affirm", "deny", "inform", "greet", "goodbye", "thanks",
                                "bot_challenge"}
TOPICS_OFFERED = 3
MIN_TOPIC_CONFIDENCE = 0.05
FAILED_TURNS_BEFORE_HUMAN = 2
ACTION_NAME = "action_clarify"


def failed_turns_in_a_row(events: List[Dict[str, Any]]) -> int:
    """How many of the latest customer turns, counted back from the last, failed."""
    turns: List[bool] = []
    last_action: Optional[str] = None
    for event in events:
        kind = event.get("event")
        if kind == "action" and event.get("name") != "action_listen":
            last_action = event.get("name")
        elif kind == "user":
            intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
            turns.append(intent in FAILED_INTENTS
                         or (intent == "deny" and last_action == ACTION_NAME))
            last_action = None
    streak = 0
    for failed in reversed(turns):
        if not failed:
            break
        streak += 1
    return streak


def _last_bot_response(events: List[Dict[str, Any]]) -> Optional[str]:
    for event in reversed(events):
        if event.get("event") == "bot":
            return (event.get("metadata") or {}).get("utter_action")
    return None


def likely_topics(tracker: Tracker, domain: DomainDict) -> List[Dict[str, str]]:
    """Buttons for the most likely intents of the latest message that are real topics."""
    buttons = []
    for ranked in tracker.latest_message.get("intent_ranking") or []:
        name = ranked.get("name")
        if name in _NOT_TOPICS or (ranked.get("confidence") or 0) < MIN_TOPIC_CONFIDENCE:
            continue
        label = response_text(domain, f"utter_topic_{name}")
        if label:
            buttons.append({"title": label, "payload": f"/{name}"})
        if len(buttons) == TOPICS_OFFERED:
            break
    return buttons


class ActionClarify(Action):
    def name(self) -> Text:
        return ACTION_NAME

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        intent = latest_intent(tracker)
        if intent == "deny" and _last_bot_response(tracker.events) == "utter_offer_human":
            dispatcher.utter_message(response="utter_ask_rephrase")
            return []
        if failed_turns_in_a_row(tracker.events) >= FAILED_TURNS_BEFORE_HUMAN:
            dispatcher.utter_message(response="utter_offer_human")
            return []
        if intent == "deny":
            dispatcher.utter_message(response="utter_ask_rephrase")
            return []
        if intent == "out_of_scope":
            dispatcher.utter_message(response="utter_out_of_scope")
            return []
        buttons = likely_topics(tracker, domain)
        if not buttons:
            dispatcher.utter_message(response="utter_ask_rephrase")
            return []
        buttons.append({"title": response_text(domain, "utter_clarify_other"), "payload": "/deny"})
        dispatcher.utter_message(response="utter_clarify", buttons=buttons)
        return []
