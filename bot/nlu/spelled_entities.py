"""Lookup-table entities found in the words the spelling step read ("do you deliver to
Portuhal": the country Portugal; "is the nimbus hedset in stock": the Nimbus Headphones).

Rasa's RegexEntityExtractor matches the lookup tables against the text as typed, so a
misspelt country or product name was no entity, and the answer fell back to an overview
("we deliver to these countries…"). This step runs after `SpellingNormaliser`
(bot/nlu/spelling.py), whose tokens hold the corrected words at the typed word's place in
the text, and matches the same tables against those words, where each word is plausibly
what was typed (`plausible_slip`: one slip, the first letter kept, five letters or more, or
run together with others). A match adds the table's own spelling as the entity's value, at
the typed words' place; it never replaces what the customer typed correctly, except by a
longer name around it ("Drfit Robot Vacuum": the vacuum, not the word "vacuum" alone), nor
adds a kind of entity the customer already named correctly.
"""

from __future__ import annotations

import json
import re
from typing import Any, Dict, List, Optional, Text, Tuple, Type

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.constants import (ENTITIES, ENTITY_ATTRIBUTE_END, ENTITY_ATTRIBUTE_START,
                                       ENTITY_ATTRIBUTE_TYPE, ENTITY_ATTRIBUTE_VALUE, EXTRACTOR,
                                       TEXT)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.source_fingerprint import SourceFingerprinted
from bot.nlu.spelling import SpellingNormaliser, edit_distance

_NAMES_FILE = "names.json"
_WORD = re.compile(r"[^\W_]+")

# (entity type, the name as the table spells it, its words in lower case)
Name = Tuple[str, str, Tuple[str, ...]]


def names_of(lookup_tables: List[Dict[Text, Any]], entities: List[str]) -> List[Name]:
    """The names of the lookup tables for `entities`, longest first."""
    found: List[Name] = []
    for table in lookup_tables:
        if table.get("name") not in entities:
            continue
        for element in table.get("elements") or []:
            words = tuple(_WORD.findall(str(element).lower()))
            if words:
                found.append((table["name"], str(element), words))
    return sorted(found, key=lambda name: -len(name[2]))


MIN_CORRECTED = 5  # shorter words are too often another real word ("amps": lamps, "malt": Malta)


def plausible_slip(typed: str, word: str) -> bool:
    """Whether `typed` (as the customer wrote it) can stand for the name's `word`: the same
    word, words run together with it ("toportugal"), or one slip away from it, keeping its
    first letter ("germny", "Portuhal"), in a word of five letters or more. Two slips, or a
    different first letter, make another word more likely ("pricier" is no purifier,
    "coasters" no toasters)."""
    if typed == word or (len(word) > 2 and word in typed):
        return True
    return (len(typed) >= MIN_CORRECTED and typed[:1] == word[:1]
            and edit_distance(typed, word) == 1)


def by_first_word(names: List[Name]) -> Dict[str, List[Name]]:
    """The names by their first word, longest first (as `names` are): what
    `spelled_matches` looks a word up in."""
    starting: Dict[str, List[Name]] = {}
    for name in names:
        starting.setdefault(name[2][0], []).append(name)
    return starting


def spelled_matches(tokens: List[Token], starting: Dict[str, List[Name]],
                    text: str) -> List[Dict[Text, Any]]:
    """Entities for the names among the tokens' words, the longest at each place, where every
    word of the name is plausibly what was typed there (`text`: the message as typed)."""
    words = [token.text.lower() for token in tokens]
    entities: List[Dict[Text, Any]] = []
    i = 0
    while i < len(words):
        match = next((name for name in starting.get(words[i], ())
                      if tuple(words[i:i + len(name[2])]) == name[2]
                      and all(plausible_slip(text[t.start:t.end].lower(), t.text.lower())
                              for t in tokens[i:i + len(name[2])])), None)
        if match is None:
            i += 1
            continue
        entity_type, value, name_words = match
        last = tokens[i + len(name_words) - 1]
        entities.append({ENTITY_ATTRIBUTE_TYPE: entity_type, ENTITY_ATTRIBUTE_VALUE: value,
                         ENTITY_ATTRIBUTE_START: tokens[i].start, ENTITY_ATTRIBUTE_END: last.end})
        i += len(name_words)
    return entities


def _overlap(a: Dict[Text, Any], b: Dict[Text, Any]) -> bool:
    return a[ENTITY_ATTRIBUTE_START] < b[ENTITY_ATTRIBUTE_END] \
        and b[ENTITY_ATTRIBUTE_START] < a[ENTITY_ATTRIBUTE_END]


def _widens(found: Dict[Text, Any], typed: Dict[Text, Any]) -> bool:
    """Whether a spelled match is a longer name of the same kind around a typed entity."""
    return (found[ENTITY_ATTRIBUTE_TYPE] == typed.get(ENTITY_ATTRIBUTE_TYPE)
            and found[ENTITY_ATTRIBUTE_START] <= typed[ENTITY_ATTRIBUTE_START]
            and typed[ENTITY_ATTRIBUTE_END] <= found[ENTITY_ATTRIBUTE_END]
            and (found[ENTITY_ATTRIBUTE_END] - found[ENTITY_ATTRIBUTE_START])
            > (typed[ENTITY_ATTRIBUTE_END] - typed[ENTITY_ATTRIBUTE_START]))


def merged(typed: List[Dict[Text, Any]], found: List[Dict[Text, Any]]) -> List[Dict[Text, Any]]:
    """The typed entities with the spelled matches that add a name: of a kind the customer
    typed no name of ("Scotland, for a malt whisky fan" is not Malta too), or around a shorter
    name of the same kind, which they replace."""
    result = list(typed)
    for entity in found:
        clashing = [t for t in result if _overlap(entity, t)]
        widening = bool(clashing) and all(_widens(entity, t) for t in clashing)
        same_kind = any(t.get(ENTITY_ATTRIBUTE_TYPE) == entity[ENTITY_ATTRIBUTE_TYPE] for t in typed)
        if widening or not (clashing or same_kind):
            result = [t for t in result if t not in clashing] + [entity]
    return sorted(result, key=lambda e: e.get(ENTITY_ATTRIBUTE_START, 0))


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True
)
class SpelledLookupExtractor(SourceFingerprinted, GraphComponent):
    @classmethod
    def required_components(cls) -> List[Type]:
        return [SpellingNormaliser]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # the lookup tables read; "plan" names ("plus", "essential") are everyday words
        return {"entities": ["country", "product"]}

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage,
                 resource: Resource, names: Optional[List[Name]] = None) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self._names = names or []
        self._starting = by_first_word(self._names)

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "SpelledLookupExtractor":
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        self._names = names_of(training_data.lookup_tables, self._config["entities"])
        self._starting = by_first_word(self._names)
        with self._model_storage.write_to(self._resource) as directory:
            (directory / _NAMES_FILE).write_text(json.dumps(self._names))
        return self._resource

    @classmethod
    def load(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> "SpelledLookupExtractor":
        try:
            with model_storage.read_from(resource) as directory:
                raw = json.loads((directory / _NAMES_FILE).read_text())
        except (ValueError, FileNotFoundError):
            raw = []
        return cls(config, model_storage, resource,
                   [(kind, value, tuple(words)) for kind, value, words in raw])

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            tokens = message.get(TOKENS_NAMES[TEXT]) or []
            found = [{**e, EXTRACTOR: self.__class__.__name__}
                     for e in spelled_matches(tokens, self._starting, message.get(TEXT) or "")]
            if found:
                message.set(ENTITIES, merged(message.get(ENTITIES) or [], found),
                            add_to_output=True)
        return messages
