"""Replaces identifier values (order numbers, emails, ...) by one fixed value before featurizing.

"where is order HG-100002" and "where is order HG-731950" mean the same; their digits only
add noise, and a value the classifier never saw in training can tip it towards the wrong
intent. The component runs after entity extraction: each token covered by an entity of a
configured type is replaced by one token holding that type's fixed value (its offsets keep
pointing at the customer's text), and the same substitution of the whole text is kept for
the sentence-embedding featurizer. The message text and the entities stay as they were.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text, Type

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.source_fingerprint import SourceFingerprinted

CANONICAL_TEXT = "canonical_text"


def canonical_text(message: Message) -> Text:
    """The text a featurizer should read: with identifier values replaced, if any were."""
    return message.get(CANONICAL_TEXT) or message.get(TEXT) or ""


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False
)
class EntityValueCanonicaliser(SourceFingerprinted, GraphComponent):
    @classmethod
    def required_components(cls) -> List[Type]:
        return [Tokenizer]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # entity type → the value that stands for every value of that type
        return {"values": {}}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._values: Dict[str, str] = dict(config.get("values") or {})

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "EntityValueCanonicaliser":
        return cls(config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for message in training_data.training_examples:
            self._canonicalise(message)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._canonicalise(message)
        return messages

    def _canonicalise(self, message: Message) -> None:
        text = message.get(TEXT)
        spans = sorted(
            (
                (int(e["start"]), int(e["end"]), self._values[e["entity"]])
                for e in message.get(ENTITIES) or []
                if e.get("entity") in self._values and "start" in e and "end" in e
            ),
            key=lambda span: span[0],
        )
        if not text or not spans:
            return
        tokens: List[Token] = message.get(TOKENS_NAMES[TEXT]) or []
        rewritten: List[Token] = []
        pieces: List[str] = []
        cursor = 0
        for start, end, value in spans:
            if start < cursor:
                continue  # overlaps an entity already replaced
            pieces.append(text[cursor:start] + value)
            cursor = end
        pieces.append(text[cursor:])
        for token in tokens:
            covering = next((s for s in spans if token.start < s[1] and token.end > s[0]), None)
            if covering is None:
                rewritten.append(token)
            elif not rewritten or rewritten[-1].start != covering[0]:
                rewritten.append(Token(covering[2], covering[0], covering[1], lemma=covering[2]))
        message.set(TOKENS_NAMES[TEXT], rewritten)
        message.set(CANONICAL_TEXT, "".join(pieces))
