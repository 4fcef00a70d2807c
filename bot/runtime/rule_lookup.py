"""RulePolicy (Rasa 3.6) finds the rules that apply to a conversation by testing each of its
rules (242 here) against the conversation's states, one state after another, for every
prediction, two to four times a turn: about 2 ms of CPU per turn.

Which rules apply depends only on the rules and on the states (what the user intended,
the slots as features, the previous action, the active loop: not the words), and the same
states come back in conversation after conversation. `install` keeps the answer for each
sequence of states seen (the last 4,096 per policy), and computes it with Rasa's own code
otherwise: the rules found, and so the predictions, are Rasa's.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, Dict, Hashable, List, Set, Text

from rasa.core.policies.rule_policy import RulePolicy

LIMIT = 4096
CACHE = "_caredesk_possible_keys"  # on a RulePolicy: (lookup, states) -> the rule keys

_rasa_get_possible_keys = RulePolicy._get_possible_keys


def frozen(value: Any) -> Hashable:
    """A hashable copy of a state's value that keeps its types apart (a list is not a
    tuple with the same items)."""
    if isinstance(value, dict):
        return ("dict", tuple(sorted((key, frozen(item)) for key, item in value.items())))
    if isinstance(value, list):
        return ("list", tuple(frozen(item) for item in value))
    if isinstance(value, tuple):
        return ("tuple", tuple(frozen(item) for item in value))
    return (type(value).__name__, value)


def get_possible_keys(self: RulePolicy, lookup: Dict[Text, Text],
                      states: List[Dict[Text, Any]]) -> Set[Text]:
    """RulePolicy._get_possible_keys, with the answer kept for the states."""
    cache: "OrderedDict[Hashable, frozenset]" = self.__dict__.setdefault(CACHE, OrderedDict())
    key = (id(lookup), len(lookup), frozen(states))
    found = cache.get(key)
    if found is None:
        found = frozenset(_rasa_get_possible_keys(self, lookup, states))
        cache[key] = found
        if len(cache) > LIMIT:
            cache.popitem(last=False)
    else:
        cache.move_to_end(key)
    return set(found)


def install() -> None:
    RulePolicy._get_possible_keys = get_possible_keys  # type: ignore[assignment]
