"""A small Rasa tracker store for inbox tests: customer messages written as Rasa's
SQLTrackerStore writes its `user` events (the columns reports/tracker.py reads)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List, Optional

from sqlalchemy import create_engine

from reports.tracker import events


class FakeTracker:
    def __init__(self, path: Path) -> None:
        self.url = f"sqlite:///{path}"
        self._engine = create_engine(self.url, future=True)
        events.metadata.create_all(self._engine)

    def said(self, conversation_id: str, text: str, intent: str = "order_status",
             confidence: float = 0.42, entities: Optional[List[Dict[str, Any]]] = None,
             gateway_message_id: Optional[int] = None) -> int:
        """Stores one typed customer message with its parse data; returns its event id."""
        data = {"event": "user", "timestamp": 1_795_000_000.0, "text": text,
                "parse_data": {"text": text, "intent": {"name": intent, "confidence": confidence},
                               "intent_ranking": [{"name": intent, "confidence": confidence},
                                                  {"name": "greet", "confidence": 0.1}],
                               "entities": entities or []},
                "metadata": ({"gateway_message_id": gateway_message_id}
                             if gateway_message_id is not None else {})}
        with self._engine.begin() as connection:
            return connection.execute(events.insert().values(
                sender_id=conversation_id, type_name="user", timestamp=data["timestamp"],
                intent_name=intent, data=json.dumps(data))).inserted_primary_key[0]

    def close(self) -> None:
        self._engine.dispose()
