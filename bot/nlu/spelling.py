"""Reads past the way customers type: words run together and single slips of the keyboard.

Trained on the vocabulary of the training examples (their own words, not the noisy copies
the augmenter adds) and of the lookup tables' names (countries, products), it rewrites,
before featurizing, every word it does not know:
- split into two to four known words when it is several written together
  ("isthere ahumanIcan talkto" → "is there a human i can talk to"), unless the split's pieces
  are far rarer than a word one slip away ("sttop" is "stop", not "st top");
- otherwise replaced by the most frequent known word at the smallest edit distance (one
  letter added, dropped, changed or two swapped; two such slips in words of seven letters or
  more), found through an index of deletions (the symmetric-delete method); but a real word
  one slip away beats a known word two slips away ("shoppping" is "shopping", not "shipping").
Chat shorthand ("u", "pls", "dont": ground/chat_shorthand.py) is spelled out first. Other
short words (under four letters), numbers, identifiers and names it cannot place are left as
they are, and so are real words the training examples happen not to use: the whole words of
the sentence encoder's vocabulary ("acquire" is not "corrected" to "require", nor "swapped"
to "stopped"; on Banking77's test split three texts in a hundred were rewritten so, most of
them for the worse). The tokens the featurizers read and the text the sentence embedding reads are both
rewritten; the customer's text and the entities are not.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from pathlib import Path
from typing import Any, Dict, FrozenSet, Iterable, List, Optional, Set, Text, Tuple, Type

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from ground.chat_shorthand import spelled_out, tokens_of
from bot.nlu.entity_values import CANONICAL_TEXT, canonical_text
from bot.nlu.register_augmenter import AUGMENTED
from bot.nlu.encoder_files import resolve_model_dir
from bot.nlu.source_fingerprint import SourceFingerprinted

_VOCABULARY_FILE = "vocabulary.json"
_WORD = re.compile(r"^[a-z]+$")
_SINGLE_LETTER_WORDS = frozenset({"a", "i"})
MIN_LENGTH = 4  # shorter unknown words are left alone: too many near neighbours
LONG_WORD = 7  # from this length two slips are corrected, not one
MAX_PIECES = 4
SHORT_WORD = 3
# a split is taken over a one-slip word unless its pieces are this much less likely (natural
# log of unigram probabilities): a real split pays for one extra common word ("myorder": "my
# order" 3.4 dearer than "order"; "okgreat", "hiwould" up to 7.6), a split into rare fragments
# much more ("sttop": "st top" 10.3 dearer than "stop"; "indentity": 17.8 than "identity")
SPLIT_OVER_SLIP = 8.0


def _deletes(word: str, distance: int) -> Set[str]:
    found = {word}
    frontier = {word}
    for _ in range(distance):
        frontier = {w[:i] + w[i + 1:] for w in frontier for i in range(len(w))}
        found |= frontier
    return found


def _one_slip(word: str) -> Set[str]:
    """Every string one letter added, dropped, changed or two swapped away from `word`."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    halves = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return ({a + b[1:] for a, b in halves if b}
            | {a + b[1] + b[0] + b[2:] for a, b in halves if len(b) > 1}
            | {a + c + b[1:] for a, b in halves if b for c in letters}
            | {a + c + b for a, b in halves for c in letters})


def edit_distance(a: str, b: str) -> int:
    """Damerau-Levenshtein (optimal string alignment) distance."""
    rows = [list(range(len(b) + 1))] + [[i] + [0] * len(b) for i in range(1, len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            rows[i][j] = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                rows[i][j] = min(rows[i][j], rows[i - 2][j - 2] + 1)
    return rows[-1][-1]


def encoder_words(model_dir: Path) -> FrozenSet[str]:
    """The whole words (not word pieces) of the sentence encoder's WordPiece vocabulary."""
    vocabulary_file = model_dir / "vocab.txt"
    if not vocabulary_file.exists():
        raise FileNotFoundError(f"{vocabulary_file} not found: the spelling step reads the "
                                "sentence encoder's vocabulary as its list of real words")
    return frozenset(word for word in vocabulary_file.read_text(encoding="utf-8").split("\n")
                     if len(word) >= MIN_LENGTH and _WORD.match(word))


class Speller:
    """Corrections against a vocabulary of word counts; `real_words` are never corrected."""

    def __init__(self, counts: Dict[str, int], real_words: FrozenSet[str] = frozenset()) -> None:
        self._counts = counts
        self._real_words = real_words
        self._total = sum(counts.values()) or 1
        self._index: Dict[str, List[str]] = {}
        for word in counts:
            if len(word) >= MIN_LENGTH - 1:
                for deleted in _deletes(word, 2 if len(word) >= LONG_WORD - 1 else 1):
                    self._index.setdefault(deleted, []).append(word)

    def knows(self, word: str) -> bool:
        return word in self._counts

    def correct(self, word: str) -> Optional[List[str]]:
        """The known word(s) meant by an unknown word, or None to leave it."""
        if (self.knows(word) or word in self._real_words or len(word) < MIN_LENGTH
                or not _WORD.match(word)):
            return None
        split = self._split(word)
        fixed = self._nearest(word)
        if split and not (fixed and split[0] - self._cost(fixed) > SPLIT_OVER_SLIP):
            return split[1]
        if fixed and edit_distance(word, fixed) > 1:
            # a real word one slip away is likelier than a known word two slips away
            # ("shoppping" is "shopping", which the examples do not use, not "shipping")
            fixed = self._nearest_real_word(word) or fixed
        return [fixed] if fixed else None

    def _nearest(self, word: str) -> Optional[str]:
        limit = 2 if len(word) >= LONG_WORD else 1
        candidates = {c for d in _deletes(word, limit) for c in self._index.get(d, ())}
        scored = [(edit_distance(word, c), -self._counts[c], c) for c in candidates]
        scored = [s for s in scored if s[0] <= limit]
        return min(scored)[2] if scored else None

    def _nearest_real_word(self, word: str) -> Optional[str]:
        """A real word one slip away (the examples' likeliest first), or None."""
        found = _one_slip(word) & self._real_words
        return max(found, key=lambda w: (self._counts.get(w, 0), w)) if found else None

    def _cost(self, piece: str) -> float:
        if piece not in self._counts or (len(piece) == 1 and piece not in _SINGLE_LETTER_WORDS):
            return math.inf
        return -math.log(self._counts[piece] / self._total)

    def _split(self, word: str) -> Optional[Tuple[float, List[str]]]:
        """The cheapest split into known words, with its cost, or None."""
        # best[i]: (cost, pieces) of the cheapest split of word[:i] into known words
        best: List[Tuple[float, List[str]]] = [(0.0, [])] + [(math.inf, [])] * len(word)
        for end in range(1, len(word) + 1):
            for start in range(max(0, end - 20), end):
                cost, pieces = best[start]
                if math.isinf(cost) or len(pieces) >= MAX_PIECES:
                    continue
                total = cost + self._cost(word[start:end])
                if total < best[end][0]:
                    best[end] = (total, pieces + [word[start:end]])
        cost, pieces = best[-1]
        # a run-together phrase has a short word in it ("isthere", "talkto", "thebot"); two
        # long known words make a compound that is more likely a word we do not know
        # ("contactless")
        if math.isinf(cost) or len(pieces) < 2 or min(map(len, pieces)) > SHORT_WORD:
            return None
        return cost, pieces


def vocabulary(messages: Iterable[Message],
               lookup_tables: Iterable[Dict[Text, Any]] = ()) -> Dict[str, int]:
    """Word counts of the examples, and the words of the lookup tables' names (countries,
    products: "Portuhal" is Portugal even if no example names it), counted once."""
    counts: Counter = Counter()
    for message in messages:
        if message.get(AUGMENTED):
            continue
        for token in message.get(TOKENS_NAMES[TEXT]) or []:
            word = token.text.lower()
            if _WORD.match(word):
                counts[word] += 1
    for table in lookup_tables:
        for element in table.get("elements") or []:
            for word in str(element).lower().split():
                if _WORD.match(word) and word not in counts:
                    counts[word] = 1
    return dict(counts)


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=True
)
class SpellingNormaliser(SourceFingerprinted, GraphComponent):
    @classmethod
    def required_components(cls) -> List[Type]:
        return [Tokenizer]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            # leave the whole words of the sentence encoder's vocabulary alone
            "keep_encoder_words": True,
            # chat shorthand ("u", "pls", "dont") spelled out first (ground/chat_shorthand.py)
            "spell_out_shorthand": True,
            # the encoder's model folder (None: the environment's setting, else the venv's;
            # give it the SentenceEmbeddingFeaturizer's model_dir if that one is set)
            "model_dir": None,
        }

    def __init__(self, config: Dict[Text, Any], model_storage: ModelStorage,
                 resource: Resource, counts: Optional[Dict[str, int]] = None) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self._real_words = (encoder_words(resolve_model_dir(self._config["model_dir"]))
                            if self._config["keep_encoder_words"] else frozenset())
        self._speller = Speller(counts, self._real_words) if counts else None

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "SpellingNormaliser":
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        counts = vocabulary(training_data.training_examples, training_data.lookup_tables)
        with self._model_storage.write_to(self._resource) as directory:
            (directory / _VOCABULARY_FILE).write_text(json.dumps(counts, sort_keys=True))
        self._speller = Speller(counts, self._real_words)
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "SpellingNormaliser":
        try:
            with model_storage.read_from(resource) as directory:
                counts = json.loads((directory / _VOCABULARY_FILE).read_text())
        except (ValueError, FileNotFoundError):
            counts = None
        return cls(config, model_storage, resource, counts)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        if self._speller is None:
            return messages
        for message in messages:
            self._normalise(message)
        return messages

    def _spelled_out(self, word: str) -> Optional[str]:
        return spelled_out(word) if self._config["spell_out_shorthand"] else None

    def _normalise(self, message: Message) -> None:
        assert self._speller is not None
        tokens: List[Token] = message.get(TOKENS_NAMES[TEXT]) or []
        # what each token is read as: None to leave it, else (its words, the text written)
        readings: List[Optional[Tuple[List[str], str]]] = []
        for token in tokens:
            phrase = self._spelled_out(token.text.lower())
            words = tokens_of(phrase.lower()) if phrase else self._speller.correct(token.text.lower())
            readings.append((words, phrase or " ".join(words)) if words else None)
        if not any(readings):
            return
        rewritten: List[Token] = []
        text = canonical_text(message)
        # where in the text the next token is looked for: each token is rewritten at its own
        # place ("the u.k. r u sure": the second "u", not the one in "u.k.")
        position = 0
        for token, reading in zip(tokens, readings):
            found = re.compile(rf"(?<!\w){re.escape(token.text)}(?!\w)").search(text, position)
            start, end = found.span() if found else (position, position)
            if reading is None:
                rewritten.append(token)
                position = end
                continue
            words, written = reading
            rewritten += [Token(w, token.start, token.end, lemma=w) for w in words]
            if found:
                text = text[:start] + written + text[end:]
                position = start + len(written)
        message.set(TOKENS_NAMES[TEXT], rewritten)
        message.set(CANONICAL_TEXT, text)
