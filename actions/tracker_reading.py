"""Reads what the conversation already holds: the latest message, its entities, labels."""

from __future__ import annotations

from typing import Any, Dict, Iterator, List, Mapping, Optional

from rasa_sdk import Tracker
from rasa_sdk.types import DomainDict

from company.identifiers import normalise_order_number
from handoff import escalation


def entity_values(parse_data: Mapping[str, Any], entity: str) -> List[str]:
    """Every value of `entity` in a message's parse data, in the message's order."""
    return [str(item["value"]) for item in parse_data.get("entities") or []
            if item.get("entity") == entity and item.get("value")]


def latest_entity(tracker: Tracker, entity: str) -> Optional[str]:
    """The last value of `entity` in the customer's latest message."""
    values = entity_values(tracker.latest_message, entity)
    return values[-1] if values else None


def latest_entities_text(tracker: Tracker, entity: str) -> Optional[str]:
    """Every value of `entity` in the latest message as one text, for a name told in pieces
    the lookup finds apart ("the cove speaker": "Cove" and "speaker", which alone names two
    products)."""
    values = entity_values(tracker.latest_message, entity)
    return " ".join(values) if values else None


def typed_text(tracker: Tracker, limit: int = 2000) -> str:
    """What the customer typed last; empty for a button press (a "/intent" payload)."""
    text = (tracker.latest_message.get("text") or "").strip()
    return "" if text.startswith("/") else text[:limit]


def words_asked(tracker: Tracker, limit: int = 2000) -> str:
    """What the customer typed last, or, for a button of the clarification, the message it
    answered (its "/ask_shipping" after "how long does delivery take to NI")."""
    typed = typed_text(tracker, limit)
    if typed or not str(tracker.latest_message.get("text") or "").startswith("/"):
        return typed
    if _action_before_latest_message(tracker) != CLARIFY_ACTION:
        return ""
    before = message_before_latest(tracker) or {}
    text = str(before.get("text") or "").strip()
    return "" if text.startswith("/") else text[:limit]


CLARIFY_ACTION = "action_clarify"  # actions/fallback.py, which offers the likely topics as buttons


def _action_before_latest_message(tracker: Tracker) -> Optional[str]:
    """The assistant's last action before the customer's latest message (not the listening)."""
    return next((str(event.get("name")) for event in between_last_two_messages(tracker)
                 if event.get("event") == "action" and event.get("name") != "action_listen"), None)


def latest_intent(tracker: Tracker) -> Optional[str]:
    return (tracker.latest_message.get("intent") or {}).get("name")


def asks_instead_of_answering(tracker: Tracker) -> bool:
    """Whether the latest message, said while a free-text form asks, is a request for a
    person or a complaint rather than the answer (handoff.escalation decides the same)."""
    return escalation.asks_instead_of_answering(*escalation.read_intent(tracker.latest_message),
                                                loop=tracker.active_loop_name)


def session_messages_newest_first(tracker: Tracker) -> Iterator[Dict[str, Any]]:
    """The customer's messages (user events) of the current session, the latest first: an
    earlier session may be about another order or topic."""
    for event in reversed(tracker.events):
        if event.get("event") == "session_started":
            return
        if event.get("event") == "user":
            yield event


def message_before_latest(tracker: Tracker) -> Optional[Dict[str, Any]]:
    """The customer's message before the latest one in this session (its user event)."""
    messages = session_messages_newest_first(tracker)
    next(messages, None)
    return next(messages, None)


def message_intent(event: Mapping[str, Any]) -> Optional[str]:
    """The intent a customer's message (a user event) was read as."""
    return ((event.get("parse_data") or {}).get("intent") or {}).get("name")


def message_read(event: Mapping[str, Any]) -> Dict[str, Any]:
    """A customer's message (a user event) as read, with the words as typed."""
    parse = event.get("parse_data") or {}
    return {**parse, "text": event.get("text") or parse.get("text")}


def between_last_two_messages(tracker: Tracker) -> Iterator[Dict[str, Any]]:
    """The events between the customer's last two messages (or before the latest, when it is
    the first), the latest first; none from before a new session."""
    seen_latest = False
    for event in reversed(tracker.events):
        if event.get("event") == "session_started":
            return
        if event.get("event") == "user":
            if seen_latest:
                return
            seen_latest = True
        elif seen_latest:
            yield event


def said_since_previous_message(tracker: Tracker) -> List[str]:
    """The responses the assistant said between the customer's last two messages ("Thanks,
    I've noted that too", then the question again), the latest first."""
    return [(event.get("metadata") or {}).get("utter_action") or ""
            for event in between_last_two_messages(tracker) if event.get("event") == "bot"]


def said_before_latest_message(tracker: Tracker) -> Optional[Dict[str, Any]]:
    """What the assistant said last before the customer's latest message (its bot event; not
    what it said since, such as an acknowledgement of the feeling)."""
    seen_user = False
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            seen_user = True
        elif event.get("event") == "bot" and seen_user:
            return event
    return None


def response_before_latest_message(tracker: Tracker) -> Optional[str]:
    """The response `said_before_latest_message` came from."""
    said = said_before_latest_message(tracker)
    return (said.get("metadata") or {}).get("utter_action") if said else None


def request_words(tracker: Tracker, intent: str, number: str) -> str:
    """The words of the latest message that asked for `intent` on order `number` ("parcel
    arrived smashed, the vacuum box was crushed and it wont turn on"); empty when it was
    about another order. A button pressed for it means the message before the button, which
    the button clarified ("the Cove speaker from order HG-… is faulty", then "Start a return",
    lost the speaker and was summed up as the whole order's return)."""
    pressed = False
    for event in session_messages_newest_first(tracker):
        parse = event.get("parse_data") or {}
        text = str(event.get("text") or "")
        if not pressed and (parse.get("intent") or {}).get("name") != intent:
            continue
        if not pressed and text.startswith("/"):
            pressed = True
            continue
        named = {normalise_order_number(value) for value in entity_values(parse, "order_number")}
        return text if not named or number in named else ""
    return ""


def product_in_slot(tracker: Tracker) -> Optional[str]:
    """The product the conversation is about, in the words that named it: every piece of a
    name told in pieces ("the cove speaker": "Cove" and "speaker", which the slot holds as a
    list, and whose last piece alone names two products: "whats the warranty on it" after it
    got the general warranty, a customer run)."""
    value = tracker.get_slot("product")
    if isinstance(value, list):
        return " ".join(str(piece) for piece in value) or None
    return None if value is None else str(value)


def slot_text(value: Any) -> Optional[str]:
    """A slot value as one string (entity mappings can yield lists)."""
    if isinstance(value, list):
        value = value[-1] if value else None
    return None if value is None else str(value)


def response_text(domain: DomainDict, name: str) -> str:
    """The first text variation of a domain response, for labels used inside buttons."""
    variations = domain.get("responses", {}).get(name) or [{}]
    return str(variations[0].get("text", ""))


def slot_before_latest_message(tracker: Tracker, name: str) -> Any:
    """A slot's value as it was when the customer's latest message came (the extraction of
    slots from the message has already changed `tracker.slots`)."""
    events = tracker.events
    latest = max((i for i, event in enumerate(events) if event.get("event") == "user"), default=len(events))
    value = None
    for event in events[:latest]:
        if event.get("event") == "slot" and event.get("name") == name:
            value = event.get("value")
    return value
