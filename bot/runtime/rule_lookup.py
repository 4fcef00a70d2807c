"""RulePolicy (Rasa 3.6) finds the rules that apply to a conversation by testing each of its
rules (242 here) against the conversation's states, one state after another, for every
prediction, two to four times a turn: about 2 ms of CPU per turn.

Which rules apply depends only on the rules and on the last few states (what the user
intended, the slots as features, the previous action, the active loop: not the words), and
the same states come back in conversation after conversation. `install` keeps the answer
for each sequence of last states seen (the last 4,096 per policy), and computes it with
Rasa's own code otherwise: the rules found, and so the predictions, are Rasa's.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, Dict, Hashable, List, Set, Text, Tuple

from rasa.core.policies.rule_policy import RulePolicy

LIMIT = 4096
CACHE = "_caredesk_possible_keys"  # on a RulePolicy: (lookup, states) -> the rule keys
LENGTHS = "_caredesk_rule_lengths"  # on a RulePolicy: lookup -> its longest rule

_rasa_get_possible_keys = RulePolicy._get_possible_keys


def longest_rule(policy: RulePolicy, lookup: Dict[Text, Text]) -> int:
    """How many states the longest rule of `lookup` has: older states never decide."""
    return max((len(policy._rule_key_to_state(key)) for key in lookup), default=0)


def get_possible_keys(self: RulePolicy, lookup: Dict[Text, Text],
                      states: List[Dict[Text, Any]]) -> Set[Text]:
    """RulePolicy._get_possible_keys, with the answer kept for the states.

    Rasa tests the states from the last one back; a rule is applicable at a state as old as
    the rule is long or older, so only the last `longest_rule` states decide, and they are
    the key (their repr: the states hold strings and tuples, which it writes exactly)."""
    cache: "OrderedDict[Hashable, frozenset]" = self.__dict__.setdefault(CACHE, OrderedDict())
    lengths: Dict[Tuple[int, int], int] = self.__dict__.setdefault(LENGTHS, {})
    which = (id(lookup), len(lookup))
    length = lengths.get(which)
    if length is None:
        length = lengths[which] = longest_rule(self, lookup)
    key = (which, repr(states[-length:] if length else []))
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
