"""Personal data in a reviewed message never reaches the training data as it was written.

Order numbers, e-mail addresses, postcodes and phone numbers are found with the very
regexes the NLU pipeline uses (`regex:` entries in data/nlu/lookups.yml; an order number
written with a space, "HG 123456", whose digits alone those find, is taken whole) and
become entity examples with the pipeline's own placeholder values (the
`EntityValueCanonicaliser` in config.yml): "where is HG-123456?" is written "where is
[HG-100000](order_number)?". Spans a trainer marks (a product, a country ...) are written
as entity examples with the words as they are. The characters Rasa reads as entity markup
are removed from the customer's own words.

What a trainer is shown (`conceal`) is the same text with the personal data replaced by
those very placeholder values, without the markup: "where is HG-100000?". That is exactly
the wording that would be written, so the spans a trainer marks are offsets in the shown
text, and a decision masks the shown text (its placeholders, known from `conceal`, become
the entity examples).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

import yaml

from ground.envfile import PROJECT_ROOT

CANONICALISER = "bot.nlu.entity_values.EntityValueCanonicaliser"
_MARKUP = re.compile(r"[\[\]{}()]")
# an order number with a space in it ("HG 100001", "hg - 100001"), as the shop reads one
# (company/identifiers.py): the pipeline's regexes find only its digits, and masking them
# alone would leave "HG HG-100000"; tried first, so the whole of it is one order number
_SPACED_ORDER_NUMBER = ("order_number", re.compile(r"(?i)\bHG\s*-?\s*\d{6}\b"))


class SpanError(ValueError):
    """A marked span that cannot be written (outside the text, overlapping, personal data)."""


@dataclass(frozen=True)
class Span:
    """Characters [start, end) of the message as the customer wrote it, marked as `entity`."""

    start: int
    end: int
    entity: str


@dataclass(frozen=True)
class PersonalSpan:
    """Characters [start, end) of a text that are personal data (or its placeholder)."""

    start: int
    end: int
    entity: str
    placeholder: str


@dataclass(frozen=True)
class Concealed:
    """A customer's text as a trainer sees it, and where its personal data was."""

    text: str
    written: Tuple[PersonalSpan, ...]  # in the customer's text, as they wrote it
    shown: Tuple[PersonalSpan, ...]  # the placeholders in `text`, in the same order

    def position(self, written_at: int, end: bool = False) -> int:
        """Where character `written_at` of the customer's text is in the shown text; inside
        personal data, the start (or, for an `end`, the end) of its placeholder."""
        shift = 0
        for before, after in zip(self.written, self.shown):
            if written_at <= before.start:
                break
            if written_at < before.end:
                return after.end if end else after.start
            shift = after.end - before.end
        return written_at + shift

    def cut(self, limit: int) -> "Concealed":
        """The first `limit` characters (a placeholder cut in two is no longer one)."""
        kept = [(w, s) for w, s in zip(self.written, self.shown) if s.end <= limit]
        return Concealed(self.text[:limit], tuple(w for w, _ in kept), tuple(s for _, s in kept))


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
    patterns = [(entity, regex, placeholders[entity])
                for entity, regex in (_SPACED_ORDER_NUMBER,) if entity in placeholders]
    for item in lookups:
        entity = item.get("regex")
        if entity in placeholders:
            for line in item["examples"].splitlines():
                regex = line.strip()[2:] if line.strip().startswith("- ") else ""
                if regex:
                    patterns.append((entity, re.compile(regex), placeholders[entity]))
    return tuple(patterns)


def personal_data(text: str, root: Path = PROJECT_ROOT) -> List[PersonalSpan]:
    """The identifiers in `text`, in order; where two patterns overlap, the first wins."""
    spans: List[PersonalSpan] = []
    for entity, pattern, placeholder in personal_data_patterns(root):
        for match in pattern.finditer(text):
            if not any(s.start < match.end() and match.start() < s.end for s in spans):
                spans.append(PersonalSpan(match.start(), match.end(), entity, placeholder))
    return sorted(spans, key=lambda s: s.start)


def conceal(text: str, root: Path = PROJECT_ROOT) -> Concealed:
    """`text` with its personal data replaced by the pipeline's placeholder values."""
    written = personal_data(text, root)
    parts: List[str] = []
    shown: List[PersonalSpan] = []
    position = length = 0
    for span in written:
        kept = text[position:span.start]
        parts += [kept, span.placeholder]
        length += len(kept)
        shown.append(PersonalSpan(length, length + len(span.placeholder), span.entity,
                                  span.placeholder))
        length += len(span.placeholder)
        position = span.end
    parts.append(text[position:])
    return Concealed("".join(parts), tuple(written), tuple(shown))


def mask(text: str, root: Path = PROJECT_ROOT, marked: Sequence[Span] = (),
         known: Sequence[PersonalSpan] = ()) -> MaskedExample:
    """`text` with personal data replaced by placeholder entity examples and the `marked`
    spans written as entity examples. `known`: personal data (placeholders) already found
    in `text` by `conceal`; kept as they are, even where a placeholder next to other
    characters no longer matches its pattern (e.g. "orderHG-100000")."""
    spans: List[Tuple[int, int, str, str]] = []
    for found in [*known, *personal_data(text, root)]:
        if 0 <= found.start < found.end <= len(text) and not any(
                start < found.end and found.start < end for start, end, _, _ in spans):
            spans.append((found.start, found.end, found.entity, found.placeholder))
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
