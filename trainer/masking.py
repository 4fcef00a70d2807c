"""Personal data in a reviewed message never reaches the training data as it was written.

Order numbers, e-mail addresses, postcodes and phone numbers are found with the very
regexes the NLU pipeline uses (`regex:` entries in data/nlu/lookups.yml) and become entity
examples with the pipeline's own placeholder values (the `EntityValueCanonicaliser` in
config.yml): "where is HG-123456?" is written "where is [HG-100000](order_number)?". Spans
a trainer marks (a product, a country ...) are written as entity examples with the words as
they are. The characters Rasa reads as entity markup are removed from the customer's own
words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

import yaml

from bot.envfile import PROJECT_ROOT

CANONICALISER = "bot.nlu.entity_values.EntityValueCanonicaliser"
_MARKUP = re.compile(r"[\[\]{}()]")


class SpanError(ValueError):
    """A marked span that cannot be written (outside the text, overlapping, personal data)."""


@dataclass(frozen=True)
class Span:
    """Characters [start, end) of the message as the customer wrote it, marked as `entity`."""

    start: int
    end: int
    entity: str


@dataclass(frozen=True)
class MaskedExample:
    """The example as it goes into the YAML, and the entities it marks."""

    text: str
    entities: List[Dict[str, str]]


@lru_cache(maxsize=4)
def personal_data_patterns(root: Path = PROJECT_ROOT) -> Tuple[Tuple[str, re.Pattern, str], ...]:
    """(entity, regex, placeholder) for every identifier the pipeline canonicalises."""
    config = yaml.safe_load((root / "config.yml").read_text())
    placeholders: Dict[str, str] = next(
        (step.get("values", {}) for step in config["pipeline"] if step.get("name") == CANONICALISER), {})
    lookups = yaml.safe_load((root / "data" / "nlu" / "lookups.yml").read_text())["nlu"]
    patterns = []
    for item in lookups:
        entity = item.get("regex")
        if entity in placeholders:
            for line in item["examples"].splitlines():
                regex = line.strip()[2:] if line.strip().startswith("- ") else ""
                if regex:
                    patterns.append((entity, re.compile(regex), placeholders[entity]))
    return tuple(patterns)


def mask(text: str, root: Path = PROJECT_ROOT, marked: Sequence[Span] = ()) -> MaskedExample:
    """`text` with personal data replaced by placeholder entity examples and the `marked`
    spans written as entity examples."""
    spans: List[Tuple[int, int, str, str]] = []
    for entity, pattern, placeholder in personal_data_patterns(root):
        for match in pattern.finditer(text):
            if not any(start < match.end() and match.start() < end for start, end, _, _ in spans):
                spans.append((match.start(), match.end(), entity, placeholder))
    personal = {entity for entity, _, _ in personal_data_patterns(root)}
    for span in sorted(marked, key=lambda s: s.start):
        if span.entity in personal:
            raise SpanError(f"{span.entity} is personal data: it is found and masked "
                            "automatically, never marked by hand")
        if not 0 <= span.start < span.end <= len(text) or not text[span.start:span.end].strip():
            raise SpanError(f"characters {span.start}-{span.end} are not words of the message")
        if not _at_word_boundaries(text, span.start, span.end):
            raise SpanError(f"characters {span.start}-{span.end} cut a word; mark whole words")
        clash = next((e for start, end, e, _ in spans if start < span.end and span.start < end), None)
        if clash is not None:
            raise SpanError(f"characters {span.start}-{span.end} overlap "
                            + (f"personal data, marked as {clash} automatically"
                               if clash in personal else "another marked span"))
        words = " ".join(_MARKUP.sub(" ", text[span.start:span.end]).split())
        spans.append((span.start, span.end, span.entity, words))
    spans.sort()
    parts: List[str] = []
    entities: List[Dict[str, str]] = []
    position = 0
    for start, end, entity, value in spans:
        parts.append(_MARKUP.sub(" ", text[position:start]))
        parts.append(f"[{value}]({entity})")
        entities.append({"entity": entity, "value": value})
        position = end
    parts.append(_MARKUP.sub(" ", text[position:]))
    return MaskedExample(" ".join("".join(parts).split()), entities)


def _at_word_boundaries(text: str, start: int, end: int) -> bool:
    """Rasa's tokens must not be cut in half by an entity annotation."""
    return (start == 0 or not text[start - 1].isalnum()) and \
        (end == len(text) or not text[end].isalnum())
