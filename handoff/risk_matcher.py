"""spaCy's rule matcher for the risk patterns, run only for the patterns a message can match.

spaCy's Matcher checks every `{"IN": [...]}` set of every pattern against every token in
Python: with the 155 risk patterns that was about 1 ms of each message's 1.3 ms of emotion
analysis, while most messages contain no word any pattern needs. Here each label gets a
matcher of its own, and a label's matcher runs only when one of its patterns could match:
every word set the pattern requires (a token without `OP`, or with one that needs at least
one token) has a word in the message. That is a necessary condition, so the matches are
the same as one matcher of all the patterns would find.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Dict, FrozenSet, List, Mapping, Sequence, Tuple

if TYPE_CHECKING:
    from spacy.matcher import Matcher
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

Pattern = List[Dict[str, object]]
Requirement = Tuple[str, FrozenSet[str]]  # a token attribute and the words it may have
_READ = ("LOWER", "LEMMA")  # the attributes whose words a message is checked for
_COUNT = re.compile(r"\{(\d*),?\d*\}")


def _required(token: Mapping[str, object]) -> bool:
    """Whether the pattern needs at least one token like this one."""
    op = token.get("OP")
    if op is None or op in ("+", "1"):
        return True
    counted = _COUNT.fullmatch(str(op))
    return bool(counted and counted.group(1) and int(counted.group(1)) > 0)


def requirements(pattern: Sequence[Mapping[str, object]]) -> List[Requirement]:
    """The word sets a message must all have a word of, for the pattern to match."""
    needed: List[Requirement] = []
    for token in pattern:
        if not _required(token):
            continue
        for attribute in _READ:
            spec = token.get(attribute)
            if isinstance(spec, str):
                needed.append((attribute, frozenset([spec])))
            elif isinstance(spec, dict) and set(spec) == {"IN"}:
                needed.append((attribute, frozenset(str(word) for word in spec["IN"])))
    return needed


@dataclass(frozen=True)
class _Label:
    matcher: "Matcher"
    patterns: Tuple[Tuple[Requirement, ...], ...]


class RiskMatcher:
    """Called like spaCy's Matcher: (match id, start, end) for every match in a doc."""

    def __init__(self, vocab: "Vocab", patterns: Mapping[str, Sequence[Pattern]]) -> None:
        from spacy.matcher import Matcher

        self._labels: List[_Label] = []
        for label, label_patterns in patterns.items():
            matcher = Matcher(vocab)
            matcher.add(label, list(label_patterns))
            self._labels.append(_Label(matcher, tuple(
                tuple(requirements(pattern)) for pattern in label_patterns)))

    def __call__(self, doc: "Doc") -> List[Tuple[int, int, int]]:
        present = {"LOWER": {token.lower_ for token in doc},
                   "LEMMA": {token.lemma_ for token in doc}}
        matches: List[Tuple[int, int, int]] = []
        for label in self._labels:
            if any(all(words & present[attribute] for attribute, words in pattern)
                   for pattern in label.patterns):
                matches.extend(label.matcher(doc))
        return matches
