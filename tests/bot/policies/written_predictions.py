"""What a written-down policy (bot/policies/written.py) predicts on a tracker of events."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional, Type

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.policies.written import WrittenPolicy


def predicted(policy_class: Type[WrittenPolicy], tmp_path: Path, domain: Domain,
              events: List[Event]) -> Optional[str]:
    """The action the policy is certain of, or None when it abstains."""
    policy = policy_class.create(policy_class.get_default_config(), LocalModelStorage(tmp_path),
                                 Resource(policy_class.__name__), ExecutionContext(GraphSchema({}), "test"))
    prediction = policy.predict_action_probabilities(
        DialogueStateTracker.from_events("test", events, domain.slots), domain)
    best = int(np.argmax(prediction.probabilities))
    return domain.action_names_or_texts[best] if prediction.probabilities[best] == 1.0 else None


def said_after(action: str, text: str, intent: str, confidence: float = 0.9) -> List[Event]:
    """The bot's `action`, then the customer's message read as `intent`."""
    return [ActionExecuted(action), ActionExecuted("action_listen"),
            UserUttered(text, {"name": intent, "confidence": confidence})]
