"""What customers asked the assistant, read from Rasa's SQL tracker store.

Rasa (endpoints.yml) keeps every dialogue event in its own database, table `events`
(`rasa.core.tracker_store.SQLTrackerStore`): one row per event with `type_name`,
`intent_name`, a float Unix `timestamp` and the event as JSON in `data`. The report only
reads it, through a read-only connection, and never imports Rasa.

Counted: `user` events (one per customer message or button press) with an intent, except
the gateway's own `EXTERNAL_*` intents and Rasa's system intents (`restart`, `back`,
`session_start`), which no customer typed. A message the assistant answered as two (a
frequent question beside another request, bot/channels/second_requests.py) is one turn with
both intents.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Optional

from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text, create_engine, select
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import OperationalError, ProgrammingError

from conversations.channel_protocol import SPLIT_KEY, SPLIT_QUESTION

FALLBACK_INTENT = "nlu_fallback"
SYSTEM_INTENTS = frozenset({"restart", "back", "session_start"})

# the columns of Rasa 3.6's SQLTrackerStore.SQLEvent that the report reads
events = Table(
    "events", MetaData(),
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False),
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
)


@dataclass(frozen=True)
class IntentCounts:
    """Customer turns in a range. `typed` excludes button presses (payloads like
    `/order_status`), which never reach the NLU and so can never fall back."""

    available: bool
    by_intent: Counter = field(default_factory=Counter)
    turns: int = 0
    typed: int = 0
    fallbacks: int = 0


def tracker_engine(url: str) -> Engine:
    """An engine on Rasa's tracker store; an SQLite file is opened read-only, so the report
    never creates or changes it."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, future=True, pool_pre_ping=True)
    return create_engine(f"sqlite:///file:{parsed.database}?mode=ro&uri=true", future=True,
                         connect_args={"check_same_thread": False})


def counted(intent: Optional[str]) -> bool:
    return bool(intent) and not intent.startswith("EXTERNAL_") and intent not in SYSTEM_INTENTS


def intent_counts(engine: Optional[Engine], start: datetime, end: datetime) -> IntentCounts:
    """The customer turns with `start` <= time < `end` (naive UTC); unavailable when the
    tracker store does not exist yet (Rasa creates it when it first starts)."""
    if engine is None:
        return IntentCounts(available=False)
    query = select(events.c.intent_name, events.c.data).where(
        events.c.type_name == "user",
        events.c.timestamp >= _unix(start), events.c.timestamp < _unix(end))
    try:
        with engine.connect() as connection:
            rows = connection.execute(query).all()
    except (OperationalError, ProgrammingError):
        return IntentCounts(available=False)
    by_intent: Counter = Counter()
    turns = typed = fallbacks = 0
    for intent, data in rows:
        if not counted(intent):
            continue
        by_intent[intent] += 1
        event = _event(data)
        if (event.get("metadata") or {}).get(SPLIT_KEY) == SPLIT_QUESTION:
            continue  # the second part of a message counted with its first
        turns += 1
        if _pressed_button(event):
            continue
        typed += 1
        fallbacks += intent == FALLBACK_INTENT
    return IntentCounts(True, by_intent, turns, typed, fallbacks)


def _unix(moment: datetime) -> float:
    return moment.replace(tzinfo=timezone.utc).timestamp()


def _event(data: Optional[str]) -> dict:
    try:
        event = json.loads(data or "{}")
    except ValueError:
        return {}
    return event if isinstance(event, dict) else {}


def _pressed_button(event: dict) -> bool:
    text = event.get("text") or ""
    return isinstance(text, str) and text.startswith("/")
