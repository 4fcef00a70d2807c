"""Teaches the classifier the way customers really type: noisy copies of the training examples.

At training time only, every intent example gets `copies` extra versions written the way a
hurried, annoyed or very polite customer types: a mistyped letter or two, punctuation and
capitals gone, words run together, text-speak, a curt filler, a roundabout polite sentence
around it, or the request said in exasperation (an annoyed word in it, often an intensifier, an
exasperated opening and a closing outburst). Answers such as "yes" or "thanks" only get the
first four. The copies carry the original's intent, so the n-grams and the sentence embedding
both learn that "wheres my parcle" is still `order_status`, and that "argh where is my sodding
parcel, beyond a joke" is a question about a parcel, not a complaint: our complaint examples
are the only place such words appear otherwise. An annotated example's copies keep its
annotated values as they are and carry its entities to where they now stand (answers such as
"my order is HG-100001" excepted). At run time the component does nothing.

The transformations are seeded by the example's own text, so a retrain on the same data gives
the same model. Its word lists are its own: the evaluation's noise set
(bot/evaluation/register_noise.py) uses different ones, so it is not measured on its mirror
(tests/bot/nlu/test_register_augmenter.py checks that no phrase and no slang or swear word of
the evaluation's is among them).
"""

from __future__ import annotations

import random
import re
import zlib
from typing import Any, Callable, Dict, List, Optional, Text, Tuple

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
_FILLERS_AFTER = ["thanks", "??", "now", "pls", "urgently!!", "much obliged", "x", "anyone?"]
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
# a polite opening and closing around the request, combined freely
_POLITE_OPENINGS = ["good afternoon, hope all is well.", "hello team, sorry if this is a daft question but",
                    "hi, I've looked all over your site and", "evening, I was hoping someone could tell me",
                    "hiya, just a quick question.", "excuse me, is it possible to find out",
                    "to whom it may concern,", "sorry to be a pain,"]
_POLITE_CLOSINGS = ["", ". many thanks in advance", ". best wishes", ", appreciate your help",
                    ". thanks ever so much", ", thanks for your time", ". regards, Sam", "? thank you kindly"]
# annoyed words around a request that is still the same request
_CURSES = ["for god's sake", "honestly", "crap", "sodding", "what the hell", "jeez", "argh", "ridiculous"]
# how an exasperated customer opens and closes the same request
_EXASPERATED_OPENERS = ["argh", "come on", "omg", "look", "hmm", "hello??", "jeez", "honestly",
                        "pfft", "urgh", "dude", "yo", "guys", "sigh", "lads", "erm"]
_EXASPERATED_CLOSERS = ["!!", "grr", "hurry up", "come on", "fgs", "smh", "not impressed", "jeez",
                        "what a joke", "beyond a joke", "absolutely useless", "not good enough",
                        "k thx", "sort it", "thx bye", "any day now", "bye then", "pronto"]
_INTENSIFIERS = ["frigging", "flipping", "sodding", "goddamn", "stupid", "crappy", "flaming", "bleeding"]


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
    inner = inner[:1].lower() + inner[1:]
    if rng.random() < 0.5:
        return rng.choice(_WRAPPERS).format(inner)
    return f"{rng.choice(_POLITE_OPENINGS)} {inner}{rng.choice(_POLITE_CLOSINGS)}"


def cursed(text: str, rng: random.Random) -> str:
    words = text.rstrip(".?!").split()
    words.insert(rng.randrange(len(words) + 1), rng.choice(_CURSES))
    if rng.random() < 0.5:
        long_words = [i for i, w in enumerate(words) if len(w) > 3 and w.isalpha()]
        if long_words:
            words.insert(rng.choice(long_words), rng.choice(_INTENSIFIERS))
    opener = rng.choice(_EXASPERATED_OPENERS) + " " if rng.random() < 0.8 else ""
    closer = " " + rng.choice(_EXASPERATED_CLOSERS) if rng.random() < 0.8 else ""
    return opener + " ".join(words) + closer


TRANSFORMS: List[Callable[[str, random.Random], str]] = [mistyped, flattened, shorthand, padded,
                                                         wrapped, cursed]
# answers to the assistant's own questions are short: nobody wraps "yes" in a polite letter
ANSWER_INTENTS = frozenset({"affirm", "deny", "thanks", "greet", "goodbye", "inform", "rate",
                            "nps", "stop_contact", "skip_question", "correct_need"})
_ANSWER_TRANSFORMS = [mistyped, flattened, shorthand, padded]


def noisy_copies(text: str, copies: int, intent: str = "") -> List[str]:
    """Up to `copies` distinct noisy versions of `text`, the same on every run."""
    return [variant for variant, _ in annotated_noisy_copies(text, [], copies, intent)]


# an annotated value stands in the text as this word while the noise is applied: lower case,
# with digits (so no typo, intensifier or shorthand touches it), and nothing to join it to
_SLOT = "qzent{}qz"
_SLOT_PATTERN = re.compile(r"qzent(\d+)qz")


def annotated_noisy_copies(
    text: str, entities: List[Dict[Text, Any]], copies: int, intent: str = ""
) -> List[Tuple[str, List[Dict[Text, Any]]]]:
    """Noisy versions of an annotated example, each with its entities moved to where they now
    stand: the noise goes around the annotated values ("HG-100001", "Aurora Kettle"), which
    keep their exact text, so the copy teaches the same entities as the example."""
    rng = random.Random(zlib.crc32(text.encode("utf-8")))
    ordered = sorted(entities, key=lambda e: e["start"])
    template, last = [], 0
    for i, entity in enumerate(ordered):
        template += [text[last:entity["start"]], _SLOT.format(i)]
        last = entity["end"]
    template = "".join(template) + text[last:]
    transforms = _ANSWER_TRANSFORMS if intent in ANSWER_INTENTS else TRANSFORMS
    out: List[Tuple[str, List[Dict[Text, Any]]]] = []
    for transform in rng.sample(transforms, k=min(copies, len(transforms))):
        filled = _filled(transform(template, rng), text, ordered)
        if filled and filled[0] != text and filled[0] not in [v for v, _ in out]:
            out.append(filled)
    return out


def _filled(
    variant: str, text: str, entities: List[Dict[Text, Any]]
) -> Optional[Tuple[str, List[Dict[Text, Any]]]]:
    """The noisy template with each value back in its place (a word of its own), or None
    when the noise lost or repeated one."""
    variant = re.sub(rf"(?<=\S)({_SLOT_PATTERN.pattern})", r" \1", variant)
    variant = re.sub(rf"({_SLOT_PATTERN.pattern})(?=\w)", r"\1 ", variant)
    slots = list(_SLOT_PATTERN.finditer(variant))
    if sorted(int(slot.group(1)) for slot in slots) != list(range(len(entities))):
        return None
    pieces: List[str] = []
    moved: List[Dict[Text, Any]] = []
    length, last = 0, 0
    for match in slots:
        entity = entities[int(match.group(1))]
        before = variant[last:match.start()]
        value = text[entity["start"]:entity["end"]]
        start = length + len(before)
        moved.append({**entity, "start": start, "end": start + len(value)})
        pieces += [before, value]
        length, last = start + len(value), match.end()
    pieces.append(variant[last:])
    return "".join(pieces), moved


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False
)
class RegisterAugmenter(SourceFingerprinted, GraphComponent):
    """Adds noisy copies of the intent examples to the training data; a no-op at run time."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # `copies` per example, but never more than `max_total` copies in all (0: no limit):
        # a large data set (Banking77's 10,000 queries) already holds many people's ways of
        # writing, and its copies would take the training past 10 minutes (one copy each:
        # 622 s, two: 957 s), so it gets fewer or none
        return {"copies": 1, "max_total": 0}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._copies = int(config.get("copies", 1))
        self._max_total = int(config.get("max_total", 0))

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
        # only NLU examples (core's messages carry a text or an intent, never both); an
        # annotated one's copies carry its entities, moved to where they stand in the copy.
        # Not an annotated answer ("it's HG-100001"): measured, its copies gained no noisy
        # question and made the model read stray words ("qwerty zxcv") as a detail
        sources = [m for m in training_data.intent_examples if m.get(TEXT) and m.get(INTENT)
                   and not (m.get(ENTITIES) and m.get(INTENT) in ANSWER_INTENTS)]
        copies = self.copies_per_example(len(sources))
        extra: List[Message] = []
        for message in sources:
            text, intent = message.get(TEXT), message.get(INTENT)
            for variant, entities in annotated_noisy_copies(
                text, message.get(ENTITIES) or [], copies, intent
            ):
                if variant not in seen:
                    seen.add(variant)
                    data = {TEXT: variant, INTENT: intent, AUGMENTED: True}
                    if entities:
                        data[ENTITIES] = entities
                    extra.append(Message(data=data))
        if not extra:
            return training_data
        return training_data.merge(TrainingData(training_examples=extra))

    def copies_per_example(self, examples: int) -> int:
        """`copies`, or fewer (down to none) when `examples` of them would pass `max_total`."""
        if self._max_total <= 0 or examples == 0:
            return self._copies
        return min(self._copies, self._max_total // examples)

    def process(self, messages: List[Message]) -> List[Message]:
        return messages
