"""The risk matcher finds exactly what one spaCy Matcher of all the risk patterns finds."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from spacy.matcher import Matcher

from handoff.emotion import matcher_labels, normalise, shared_analyser
from handoff.risk_matcher import RiskMatcher, requirements
from tests.handoff.escalation_cases import CASES

PROJECT = Path(__file__).resolve().parents[2]


def customer_texts() -> list[str]:
    """Every message of the escalation table and every NLU training example."""
    texts = [message for case in CASES for message in case[0]]
    for path in sorted((PROJECT / "data" / "nlu").glob("*.yml")):
        for block in yaml.safe_load(path.read_text()).get("nlu") or []:
            for line in str(block.get("examples") or "").splitlines():
                if line.strip().startswith("- "):
                    texts.append(line.strip()[2:])
    return texts


def test_requirements_skip_optional_and_negated_tokens() -> None:
    pattern = [{"LEMMA": {"IN": ["take"]}}, {"LOWER": {"IN": ["you"]}, "OP": "?"},
               {"LOWER": "to"}, {"OP": "{0,2}"}, {"LEMMA": {"IN": ["court"]}, "OP": "+"},
               {"LOWER": {"IN": ["not"]}, "OP": "!"}, {"LOWER": {"IN": ["now"]}, "OP": "{1,2}"}]
    assert requirements(pattern) == [("LEMMA", frozenset({"take"})), ("LOWER", frozenset({"to"})),
                                     ("LEMMA", frozenset({"court"})),
                                     ("LOWER", frozenset({"now"}))]


def test_the_same_matches_as_one_matcher_of_every_pattern() -> None:
    analyser = shared_analyser()
    nlp = analyser._nlp
    full = Matcher(nlp.vocab)
    for label, patterns in matcher_labels().items():
        full.add(label, patterns)
    pruned = RiskMatcher(nlp.vocab, matcher_labels())
    texts = customer_texts()
    assert len(texts) > 1500
    matched = 0
    for text in texts:
        doc = nlp(normalise(text))
        expected = sorted(full(doc))
        assert sorted(pruned(doc)) == expected, text
        matched += bool(expected)
    # the comparison means something only if many messages name a risk and many do not
    assert 100 < matched < len(texts) - 100


@pytest.mark.parametrize("text", ["I'll take you to court over this",
                                  "this is the third time I've contacted you about it"])
def test_a_pattern_with_its_words_present_still_matches(text: str) -> None:
    assert shared_analyser().analyse(text).risks
