"""A request said not to be meant is not the request: "please dont cancel HG-100005, i just
want to know when it ships" read as a cancellation got the cancellation question, and "I
don't want to unsubscribe, I want MORE emails - sign me up for the newsletter" unsubscribed
the customer (a customer run: six of nine such messages went wrong). The words of a request
weigh more than the "don't" before them, so the model reads the request.

`negated` says whether a message says not to do what its intent does: a "don't", "do not",
"no need to" or "never" a few filler words before the request's own words ("dont cancel",
"don't want to unsubscribe", "i dont need a refund"), or "not" before what the request is
about ("unsubscribe from harbor club not the newsletter"). `parts` cuts such a message where
another request may start (a comma or full stop, "but", "just", "only", "instead", "I want"),
so that the part the customer does want is read on its own (bot/nlu/fallback.py); when no
part asks for something else, the customer is asked, and never offered the negated request.
"""

from __future__ import annotations

import re
from typing import Dict, List, Pattern

# a "don't" before a verb; "not" alone is no such cue ("it's not refunded yet" asks for one)
_DO_NOT = r"(?:\bdon'?t|\bdont|\bdo\s+not|\bno\s+need\s+to|\bnever)"
# words that may stand between the cue and the request's verb ("don't want to", "dont need a")
_BETWEEN = (r"(?:\s+(?:want|wanna|need|mean|meant|ask|asking|asked|try|trying|going|gonna|to|a|an|the|any|it|"
            r"me|my|this|that|please|pls|actually|you|u|ya|really|even|for|an?y?more))*?")
# "not" before what the request is about ("not the newsletter")
_NOT_THE = r"\bnot\s+(?:the\s+|my\s+|your\s+|ur\s+|a\s+|an\s+)?"

# intent → (its verbs, what it is about); only the intents that do something on a word
_REQUESTS: Dict[str, tuple] = {
    "cancel_order": (r"cancel\w*", None),
    "newsletter_unsubscribe": (r"(?:unsub\w*|opt\w*\s+out|stop\w*\s+(?:the\s+|my\s+)?(?:newsletters?|emails?))",
                               r"(?:newsletters?|marketing\s+emails?)"),
    "newsletter_subscribe": (r"(?:subscri\w*|sign\w*\s+(?:me\s+)?up)", r"newsletters?"),
    "refund_status": (r"refund\w*", None),
    "start_return": (r"(?:return\w*|send\w*\s+(?:it|them|\w+)\s+back)", None),
    "close_account": (r"(?:close|closing|delete|deleting|remove|removing|cancel\w*|erase|erasing)\s+"
                      r"(?:my\s+|the\s+|our\s+)?(?:\w+\s+)?account", None),
    "change_address": (r"chang\w*\s+(?:the\s+|my\s+|its\s+)?(?:delivery\s+|shipping\s+)?address", None),
}


def _compiled(verbs: str, about: str | None) -> Pattern[str]:
    negations = [rf"{_DO_NOT}{_BETWEEN}\s+{verbs}\b"]
    if about:
        negations.append(rf"{_NOT_THE}{about}\b")
    return re.compile("|".join(negations), re.IGNORECASE)


_NEGATED: Dict[str, Pattern[str]] = {intent: _compiled(*words) for intent, words in _REQUESTS.items()}
# where another request may start: punctuation, or a word that turns to it
_TURN = re.compile(r"\s*[,.;!?]+\s*|\s+[-\u2013\u2014]+\s+"
                   r"|(?<!\bi)\s+(?=(?:but|just|only|instead|rather|i\s+want|i\s+just|i\s+only|i\s+need|i\s+meant|i\s+mean)\b)"
                   r"|(?<=\w)\s+(?=not\s+(?:the|my|your|ur|a|an)\s)", re.IGNORECASE)
# a part read as one of these is no request of its own ("wait no", "ok so")
NOT_A_REQUEST = frozenset({"affirm", "deny", "inform"})
# a message cut into more parts is not read part by part (each costs a parse)
MAX_PARTS = 4


def negated(text: str, intent: str) -> bool:
    """Whether `text` says not to do what `intent` does."""
    pattern = _NEGATED.get(intent)
    return pattern is not None and pattern.search(text) is not None


def negates_any(text: str) -> bool:
    """Whether `text` says not to do any of the requests that do something on a word."""
    return any(pattern.search(text) for pattern in _NEGATED.values())


# a part that is only the word that turned ("i dont need a refund but i just want…")
_TURN_WORDS = frozenset({"but", "just", "only", "instead", "rather", "so", "and"})


def parts(text: str) -> List[str]:
    """`text` cut where another request may start; [] when it is one part or too many."""
    cut = [part.strip() for part in _TURN.split(text)
           if part and part.strip() and part.strip().lower() not in _TURN_WORDS]
    return cut if 1 < len(cut) <= MAX_PARTS else []
