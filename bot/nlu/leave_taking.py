"""Whether a thank-you or a goodbye asks a question as well ("ok what about next day").

The classifier reads such a message by its opener: "ok what about next day" was `goodbye` at
0.77, and the assistant said goodbye and asked for a rating while the customer waited for an
answer. A leave-taking that asks is not one: the fallback (bot/nlu/fallback.py) asks what the
customer means instead. Kept narrow: a question mark in a message of three words or more, or
a question word opening a clause and asking ("thanks, what about ...", "how do I ..."),
never one inside a clause ("that's just what I needed, thanks"), an exclamation ("what a
star, bye", "thanks, how amazing") or a clause of time ("thanks! when it comes I'll ...").
"""

from __future__ import annotations

import re

_QUESTION_WORD = re.compile(
    r"(?:^|[,.;:!\-]|\b(?:ok|okay|so|and|but|right|well|then|thanks|thank you|thx|cheers|ta|bye))\s*(?:and\s+)?"
    # "what's ...", or a question word followed by what asks ("what about", "how do", "when
    # will"), not by what exclaims ("how amazing", "who knew") or a clause ("when it comes")
    r"(?:what(?:'s|s)\b|(?:what|where|when|which|who|why|how)\s+(?:about|abt|is|are|was|were|do|does|did|can|could"
    r"|will|would|should|shall|long|much|many|soon|often|far|late|early|i|you|u|we|they|to)\b)",
    re.IGNORECASE)
_MIN_WORDS_WITH_A_QUESTION_MARK = 3


def asks_as_well(text: str) -> bool:
    """True when a message read as thanks or goodbye also asks something."""
    if "?" in text and len(text.split()) >= _MIN_WORDS_WITH_A_QUESTION_MARK:
        return True
    return _QUESTION_WORD.search(text.strip()) is not None
