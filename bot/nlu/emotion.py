"""Puts each message's sentiment and named risks into Rasa's parse data (`emotion`).

The escalation policy and `action_handoff` read it from the tracker, and it is stored with
every customer message, which gives the ticket its sentiment trajectory. It adds no
features, so the intent classifier is unaffected. The clauses read for their intent only
(bot/nlu/clauses.py) get none: the message's own reading covers them.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.clauses import COMPANION
from bot.nlu.source_fingerprint import SourceFingerprinted
from handoff.emotion import shared_analyser

EMOTION = "emotion"


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False
)
class EmotionAnnotator(SourceFingerprinted, GraphComponent):
    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "EmotionAnnotator":
        return cls()

    def __init__(self) -> None:
        self._analyser = shared_analyser()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            if message.get(COMPANION):
                continue
            emotion = self._analyser.analyse(message.get(TEXT) or "")
            message.set(EMOTION, emotion.to_json(), add_to_output=True)
        return messages
