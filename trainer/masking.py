"""Personal data in a reviewed message never reaches the training data as it was written.

Order numbers, e-mail addresses, postcodes and phone numbers are found with the very
regexes the NLU pipeline uses (`regex:` entries in data/nlu/lookups.yml) and become entity
examples with the pipeline's own placeholder values (the `EntityValueCanonicaliser` in
config.yml): "where is HG-123456?" is written "where is [HG-100000](order_number)?". The
characters Rasa reads as entity markup are removed from the customer's own words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Tuple

import yaml

from bot.envfile import PROJECT_ROOT

CANONICALISER = "bot.nlu.entity_values.EntityValueCanonicaliser"
_MARKUP = re.compile(r"[\[\]{}()]")


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


def mask(text: str, root: Path = PROJECT_ROOT) -> MaskedExample:
    text = " ".join(text.split())
    spans: List[Tuple[int, int, str, str]] = []
    for entity, pattern, placeholder in personal_data_patterns(root):
        for match in pattern.finditer(text):
            if not any(start < match.end() and match.start() < end for start, end, _, _ in spans):
                spans.append((match.start(), match.end(), entity, placeholder))
    spans.sort()
    parts: List[str] = []
    entities: List[Dict[str, str]] = []
    position = 0
    for start, end, entity, placeholder in spans:
        parts.append(_MARKUP.sub(" ", text[position:start]))
        parts.append(f"[{placeholder}]({entity})")
        entities.append({"entity": entity, "value": placeholder})
        position = end
    parts.append(_MARKUP.sub(" ", text[position:]))
    return MaskedExample(" ".join("".join(parts).split()), entities)
