"""The external evaluation sets stay external: never training data, every category decided,
every mapped intent real, and the outcome of a message counted the way the issue defines."""

import json
import re
from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

from bot.evaluation.external import (
    BUTTONS,
    FALLBACK,
    RIGHT,
    WRONG,
    Banking77Mapping,
    banking77_sets,
    default_shared,
    heldout_examples,
    heldout_sets,
    outcome,
    read_banking77,
)
from bot.evaluation.register_noise import ANSWER_INTENTS, FAMILIES, noisy_set
from tests.conftest import PROJECT_ROOT

BANKING77 = default_shared() / "datasets" / "banking77"


def normalise(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]|_", " ", text.lower()).split())


@pytest.fixture(scope="module")
def training_texts():
    texts = set()
    for path in sorted((PROJECT_ROOT / "data" / "nlu").glob("*.yml")):
        texts |= {normalise(m.get("text")) for m in RasaYAMLReader().read(str(path)).intent_examples}
    return texts


@pytest.fixture(scope="module")
def banking77():
    if not (BANKING77 / "test.csv").exists():
        pytest.fail(f"Banking77 is not at {BANKING77}: put the shared folder beside the project "
                    "or set SHARED=/path/to/shared")
    return {split: read_banking77(BANKING77 / f"{split}.csv") for split in ("train", "test")}


def test_no_banking77_query_is_training_data(banking77, training_texts):
    leaked = sorted({text for rows in banking77.values() for text, _ in rows
                     if normalise(text) in training_texts})
    assert not leaked, f"Banking77 queries copied into data/nlu: {leaked[:10]}"


def test_no_noisy_variant_is_training_data(training_texts):
    leaked = [n.text for n in noisy_set(heldout_examples()) if normalise(n.text) in training_texts]
    assert not leaked, f"noise-set sentences also in data/nlu: {leaked[:10]}"


def test_the_mapping_decides_every_category_once_with_real_intents(banking77):
    mapping = Banking77Mapping.load()
    categories = set(json.loads((BANKING77 / "categories.json").read_text()))
    named = set(mapping.overlap) | set(mapping.excluded)
    assert named <= categories, f"unknown categories: {named - categories}"
    assert not set(mapping.overlap) & set(mapping.excluded)
    domain_intents = set(Domain.load(str(PROJECT_ROOT / "domain")).intents)
    for category, intents in mapping.overlap.items():
        assert intents and intents <= domain_intents, (category, intents - domain_intents)
    raw = Path(PROJECT_ROOT / "bot" / "evaluation" / "banking77_mapping.yml").read_text()
    assert raw.count("reason:") == len(mapping.overlap), "every mapped category gives its reason"


def test_the_sets_split_the_test_split(banking77):
    sets = banking77_sets(BANKING77 / "test.csv", Banking77Mapping.load())
    assert sum(len(s) for s in sets.values()) == len(banking77["test"])
    assert len(sets["overlap"]) >= 500 and len(sets["out_of_scope"]) >= 1500
    assert all(not e.accepted for e in sets["out_of_scope"])


def test_every_heldout_intent_is_measured_under_noise():
    clean = heldout_examples()
    noisy = noisy_set(clean)
    assert {n.intent for n in noisy} == {intent for _, intent in clean}
    asked = [n for n in noisy if n.intent not in ANSWER_INTENTS]
    assert {n.family for n in asked} == set(FAMILIES)
    assert noisy_set(clean) == noisy, "the set is the same on every run"
    identifiers = [n for n in noisy if "HG-" in n.source]
    # identifiers survive every rewrite (text-speak lower-cases them, as customers do)
    assert identifiers and all(re.search(r"HG-\d{6}", n.text, re.IGNORECASE) for n in identifiers)


def test_right_answers_are_measured_on_the_questions_the_shop_answers():
    """A question the shop does not answer has no right topic: counted among the others it
    could only lower "right at once", and by more in the noise set, which has more of them."""
    clean = heldout_examples()
    sets = heldout_sets()
    assert len(sets["held-out"]) + len(sets["held-out out of scope"]) == len(clean)
    assert len(sets["noise"]) + len(sets["noise out of scope"]) == len(noisy_set(clean))
    assert sets["held-out out of scope"] and sets["noise out of scope"]
    assert all(e.accepted for e in sets["held-out"] + sets["noise"])
    assert not any(e.accepted for e in sets["held-out out of scope"] + sets["noise out of scope"])


@pytest.mark.parametrize("final, ranking, accepted, expected", [
    ("order_status", [], {"order_status"}, RIGHT),
    ("nlu_fallback", [("nlu_fallback", 0.4), ("ask_shipping", 0.3), ("order_status", 0.2)], {"order_status"}, BUTTONS),
    ("nlu_fallback", [("nlu_fallback", 0.4), ("ask_shipping", 0.3), ("greet", 0.2)], {"order_status"}, FALLBACK),
    ("out_of_scope", [], {"order_status"}, FALLBACK),
    ("cancel_order", [], {"order_status"}, WRONG),
    # out of scope: anything that is not a fallback or a person is a wrong topic
    ("nlu_fallback", [("nlu_fallback", 0.4), ("ask_shipping", 0.3)], set(), FALLBACK),
    ("request_human", [], set(), FALLBACK),
    ("ask_payment_methods", [], set(), WRONG),
    # a detail as the first message gets the clarification, with the topics it belongs to
    # ranked among themselves (actions/fallback.py), never a topic's answer
    ("inform", [("inform", 0.9), ("start_return", 0.05), ("order_status", 0.01)], {"start_return"}, BUTTONS),
    ("inform", [("inform", 0.9), ("start_return", 0.05), ("order_status", 0.01)], {"order_status"}, FALLBACK),
    ("inform", [("inform", 0.9), ("signup_problem", 0.05)], set(), FALLBACK),
    ("inform", [], {"inform"}, RIGHT),
])
def test_outcomes(final, ranking, accepted, expected):
    parse_data = {"intent": {"name": final},
                  "intent_ranking": [{"name": n, "confidence": c} for n, c in ranking]}
    assert outcome(parse_data, frozenset(accepted)) == expected


def test_a_help_article_comes_before_the_topics():
    parse_data = {"intent": {"name": "nlu_fallback"},
                  "intent_ranking": [{"name": "nlu_fallback", "confidence": 0.5},
                                     {"name": "order_status", "confidence": 0.3}],
                  "help_article": {"slug": "delivery-areas", "title": "Where we deliver",
                                   "section": "Countries we deliver to",
                                   "passage": "We deliver to ...", "score": 0.4, "confident": True}}
    assert outcome(parse_data, frozenset({"order_status"})) == FALLBACK
    parse_data["help_article"]["confident"] = False
    assert outcome(parse_data, frozenset({"order_status"})) == BUTTONS
