"""Words that drop what the assistant is asking for, wherever it asks: "never mind", "nvm",
"forget it", "forget about it", "forget that.", "scrap that.", "stop asking".

One reader of them for every question that can be left (the order lookup, the 5W1H
interview, a change's new value); each adds the words only its own question can be left
with ("I don't have an order number", "come back to this later", "keep the same address").
A "forget this/that" counts only at a clause's end: "forget that, make it 30 people" is a
correction, not leaving.
"""

from __future__ import annotations

import re

_CLAUSE_END = r"\s*(?:[.!;?]|$)"

# a regular expression's source, for the readers that extend it
GIVING_UP = (r"\b(?:never\s*mind|nvm|forget\s+(?:it|about\s+it))\b|\b(?:forget|scrap|scratch)\s+(?:this|that)"
             + _CLAUSE_END + r"|\bstop\s+asking\b"
             # ... or before what the customer only wanted: "no forget that i just wanted the
             # lamps" was saved as the 5W1H interview's answer (a customer run)
             + r"|\b(?:forget|scrap|scratch)\s+(?:this|that)\W+i\s+(?:(?:just|only)\s+(?:wanted|asked)"
               r"|was\s+(?:just|only)\s+asking)\b")

# "leave it", said where a question about a thing already there is asked (an order's number,
# a change's new value): alone, or at a clause's start and end ("actually no leave it where it
# is", "just leave it for now thanks", "leave it, I'll get it redirected instead. how long does
# it take to ship btw", "leave it for now. how long have i got to change it before it ships?":
# customer runs), never before what to do with it ("leave it with next door at 12 Mill Lane")
LEAVING_IT = (r"\bleave\s+it\s+(?:where\s+it\s+is|as\s+it\s+is|as\s+is|alone|be)\b"
              r"|\bleave\s+it\W*(?:thanks?|thank\s+you|please|pls|then)?\W*$"
              r"|^\W*(?:(?:no|nah|actually|just|ok|okay|oh|hmm)\W+)*leave\s+it"
              r"(?:\W+(?:actually|for\s+now|then|thanks?|thank\s+you|please|pls|as\s+it\s+is|be|alone|mate))*"
              r"\W*?(?:[,.;!?\u2013-]|$)")

_GIVES_UP = re.compile(GIVING_UP, re.IGNORECASE)


def gives_up(text: str) -> bool:
    """Whether the words drop what is being asked."""
    return _GIVES_UP.search(text or "") is not None
