"""The customer turns the report reads from Rasa's tracker store (reports/tracker.py)."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone
from pathlib import Path

from conversations.channel_protocol import SPLIT_KEY
from reports.tracker import intent_counts, tracker_engine

MOMENT = datetime(2026, 11, 2, 10, 0)


def test_a_message_answered_as_two_is_one_turn_with_both_intents(tmp_path: Path) -> None:
    """"fine. LS6 2QT. also do u deliver on saturdays?" reaches the tracker as two messages
    (bot/channels/second_requests.py); the customer sent one."""
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.events import ActionExecuted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    stamp = MOMENT.replace(tzinfo=timezone.utc).timestamp()
    said = [("hello", "greet", {}), ("fine. LS6 2QT.", "inform", {SPLIT_KEY: "rest"}),
            ("also do u deliver on saturdays?", "ask_shipping", {SPLIT_KEY: "question"}),
            ("/affirm", "affirm", {})]
    events = []
    for text, intent, metadata in said:
        events += [UserUttered(text, intent={"name": intent, "confidence": 0.9}, timestamp=stamp,
                               metadata=metadata),
                   ActionExecuted("action_listen", timestamp=stamp)]
    store = SQLTrackerStore(dialect="sqlite", db=str(tmp_path / "tracker.db"))
    asyncio.run(store.save(DialogueStateTracker.from_events("someone", events)))
    store.engine.dispose()
    engine = tracker_engine(f"sqlite:///{tmp_path / 'tracker.db'}")
    counts = intent_counts(engine, MOMENT - timedelta(hours=1), MOMENT + timedelta(hours=1))
    engine.dispose()
    assert (counts.turns, counts.typed) == (3, 2)
    assert dict(counts.by_intent) == {"greet": 1, "inform": 1, "ask_shipping": 1, "affirm": 1}
