"""Teaches the classifier the way customers really type: noisy copies of the training examples.

At training time only, every intent example without entity annotations gets `copies` extra
versions written the way a hurried, annoyed or very polite customer types: a mistyped letter
or two, punctuation and capitals gone, words run together, text-speak, a curt filler, a
roundabout polite sentence around it, or an annoyed word in it (answers such as "yes" or
"thanks" only get the first four). The copies
carry the original's intent, so the n-grams and the sentence embedding both learn that
"wheres my parcle" is still `order_status`. At run time the component does nothing.

The transformations are seeded by the example's own text, so a retrain on the same data gives
the same model. Its word lists are its own: the evaluation's noise set
(bot/evaluation/register_noise.py) uses different ones, so it is not measured on its mirror.
"""

from __future__ import annotations

import random
import re
import zlib
from typing import Any, Callable, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.source_fingerprint import SourceFingerprinted

# set on the copies, so that later components can tell them from the team's own examples
AUGMENTED = "augmented_copy"

_SHORTHAND = {
    "you": "ya", "your": "yr", "are": "r", "please": "plz", "thanks": "thanx", "okay": "k",
    "i am": "am", "do not": "dont", "does not": "doesnt", "have not": "havent", "it is": "its",
    "is not": "isnt", "i have": "ive", "where is": "wheres", "what is": "whats", "with": "w/",
    "someone": "some1", "for": "4", "later": "l8r", "be": "b", "why": "y", "see": "c",
}
_FILLERS_BEFORE = ["hey", "hello?", "um", "so", "listen", "excuse me", "pls help", "urgent"]
_FILLERS_AFTER = ["thanks", "??", "now", "pls", "asap!!", "cheers", "x", "anyone?"]
# the request inside a roundabout or very polite sentence
_WRAPPERS = [
    "hello, I wonder if you can help. {} many thanks",
    "would somebody be able to tell me: {}",
    "apologies for the trouble, {}",
    "dear Harbor Goods, {}. kind regards",
    "I need to know something. {}",
    "morning! bit of a silly question maybe, {}",
    "please could you find out {}",
    "my partner wants me to ask: {}",
]
# annoyed words around a request that is still the same request
_CURSES = ["for god's sake", "honestly", "crap", "sodding", "what the hell", "jeez", "argh", "ridiculous"]


def _mistype(word: str, rng: random.Random) -> str:
    if len(word) < 4 or not word.isalpha():
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(3)
    if kind == 0:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if kind == 1:
        return word[:i] + word[i + 1:]
    return word[:i] + word[i] + word[i:]


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s'@-]", " ", text.lower()).split())


def mistyped(text: str, rng: random.Random) -> str:
    words = text.split()
    for _ in range(max(1, len(words) // 4)):
        i = rng.randrange(len(words))
        words[i] = _mistype(words[i], rng)
    return " ".join(words)


def flattened(text: str, rng: random.Random) -> str:
    words = _plain(text).split()
    if len(words) > 2:
        i = rng.randrange(len(words) - 1)
        words[i:i + 2] = [words[i] + words[i + 1]]
    return " ".join(words)


def shorthand(text: str, rng: random.Random) -> str:
    plain = _plain(text).replace("'", "")
    for phrase, short in _SHORTHAND.items():
        plain = re.sub(rf"\b{re.escape(phrase.replace(chr(39), ''))}\b", short, plain)
    return plain


def padded(text: str, rng: random.Random) -> str:
    return f"{rng.choice(_FILLERS_BEFORE)} {_plain(text)} {rng.choice(_FILLERS_AFTER)}"


def wrapped(text: str, rng: random.Random) -> str:
    inner = text.rstrip(".?!")
    return rng.choice(_WRAPPERS).format(inner[:1].lower() + inner[1:])


def cursed(text: str, rng: random.Random) -> str:
    words = text.rstrip(".?!").split()
    words.insert(rng.randrange(len(words) + 1), rng.choice(_CURSES))
    return " ".join(words)


TRANSFORMS: List[Callable[[str, random.Random], str]] = [mistyped, flattened, shorthand, padded,
                                                         wrapped, cursed]
# answers to the assistant's own questions are short: nobody wraps "yes" in a polite letter
ANSWER_INTENTS = frozenset({"affirm", "deny", "thanks", "greet", "goodbye", "inform", "rate",
                            "nps", "stop_contact", "skip_question", "correct_need"})
_ANSWER_TRANSFORMS = [mistyped, flattened, shorthand, padded]


def noisy_copies(text: str, copies: int, intent: str = "") -> List[str]:
    """Up to `copies` distinct noisy versions of `text`, the same on every run."""
    rng = random.Random(zlib.crc32(text.encode("utf-8")))
    transforms = _ANSWER_TRANSFORMS if intent in ANSWER_INTENTS else TRANSFORMS
    out: List[str] = []
    for transform in rng.sample(transforms, k=min(copies, len(transforms))):
        variant = transform(text, rng)
        if variant and variant != text and variant not in out:
            out.append(variant)
    return out


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False
)
class RegisterAugmenter(SourceFingerprinted, GraphComponent):
    """Adds noisy copies of the intent examples to the training data; a no-op at run time."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {"copies": 1}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._copies = int(config.get("copies", 1))

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "RegisterAugmenter":
        return cls({**cls.get_default_config(), **config})

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        seen = {m.get(TEXT) for m in training_data.training_examples}
        extra: List[Message] = []
        for message in training_data.intent_examples:
            text, intent = message.get(TEXT), message.get(INTENT)
            # only NLU examples (core's messages carry a text or an intent, never both), and
            # only unannotated ones: a copy's entity offsets would no longer point at the text
            if not text or not intent or message.get(ENTITIES):
                continue
            for variant in noisy_copies(text, self._copies, intent):
                if variant not in seen:
                    seen.add(variant)
                    extra.append(Message(data={TEXT: variant, INTENT: intent, AUGMENTED: True}))
        if not extra:
            return training_data
        return training_data.merge(TrainingData(training_examples=extra))

    def process(self, messages: List[Message]) -> List[Message]:
        return messages
