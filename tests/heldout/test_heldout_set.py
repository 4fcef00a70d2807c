"""The held-out NLU test set stays valid: known intents, full coverage, no training text."""

from __future__ import annotations

import re
from collections import Counter
from typing import Dict, List

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader
from rasa.shared.nlu.training_data.message import Message

from ground.envfile import PROJECT_ROOT

HELDOUT = PROJECT_ROOT / "tests" / "heldout" / "nlu.yml"
TRAINING_DIR = PROJECT_ROOT / "data" / "nlu"
DOMAIN_DIR = PROJECT_ROOT / "domain"
MIN_EXAMPLES = 5


def normalise(text: str) -> str:
    """Lower case, punctuation stripped, whitespace collapsed."""
    return " ".join(re.sub(r"[^\w\s]|_", " ", text.lower()).split())


def _examples(path) -> List[Message]:
    return RasaYAMLReader().read(str(path)).intent_examples


@pytest.fixture(scope="module")
def heldout() -> List[Message]:
    return _examples(HELDOUT)


@pytest.fixture(scope="module")
def training() -> List[Message]:
    files = sorted(TRAINING_DIR.glob("*.yml"))
    assert files, f"no training files in {TRAINING_DIR}"
    return [message for path in files for message in _examples(path)]


def test_heldout_intents_exist_in_domain(heldout):
    domain_intents = set(Domain.load(str(DOMAIN_DIR)).intents)
    unknown = sorted({m.get("intent") for m in heldout} - domain_intents)
    assert not unknown, f"held-out intents missing from the domain: {unknown}"


def test_every_trained_intent_has_enough_heldout_examples(heldout, training):
    counts = Counter(m.get("intent") for m in heldout)
    thin: Dict[str, int] = {
        intent: counts[intent]
        for intent in sorted({m.get("intent") for m in training})
        if counts[intent] < MIN_EXAMPLES
    }
    assert not thin, f"intents with fewer than {MIN_EXAMPLES} held-out examples: {thin}"


def test_no_heldout_text_is_a_training_text(heldout, training):
    seen = {normalise(m.get("text")): m.get("intent") for m in training}
    leaked = [
        (m.get("text"), m.get("intent"), seen[normalise(m.get("text"))])
        for m in heldout
        if normalise(m.get("text")) in seen
    ]
    assert not leaked, f"held-out texts also in data/nlu (text, held-out intent, training intent): {leaked}"
