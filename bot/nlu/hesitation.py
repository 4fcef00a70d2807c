"""Whether a message only hesitates: "hmm", "uhh", "meh", "ok?".

The model reads such sounds as agreement ("hmm" is affirm at 0.67, "uhh" at 0.89), and at
"Are you sure you want to cancel the whole order?" or "send order … to 5 Elm Street?" a
"hmm" cancelled the order and sent the parcel elsewhere (4 of 4 in a customer run). A
message that only hesitates is never a yes: the fallback classifier (bot/nlu/fallback.py)
falls back on it, and the question is asked again.
"""

from __future__ import annotations

import re

# set on a parse that fell back for hesitating: the customer was understood, so it is no
# failed turn (two in a row handed the customer over)
from handoff.escalation import HESITANT  # noqa: F401

_SOUNDS = (r"h+m+|m{3,}|u+h+m*|u+m+|e+r+m*|e+h+|a+h+m*|meh|idk|dunno|not\s+sure|i'?m\s+not\s+sure"
           r"|maybe|perhaps|i\s+guess|i\s+suppose|let\s+me\s+think|thinking|well+|so+")
# the sounds that say yes ("uh huh", "mhm", "mm-hmm")
_SOUNDS_YES = re.compile(r"^\W*(?:u+h+[\s-]*h+u+h+|m+h+m+|m+[\s-]*h+m+)\W*$", re.IGNORECASE)
_ONLY_SOUNDS = re.compile(rf"^[\W_]*(?:(?:{_SOUNDS})\b[\W_]*)+$", re.IGNORECASE)
# a yes asked back, not given ("ok?", "yes??", "really?")
_YES_ASKED = re.compile(r"^\W*(?:ok(?:ay)?|yes|yeah|yep|sure|right|really|correct|fine)\s*\?+\W*$",
                        re.IGNORECASE)


def only_hesitates(text: str) -> bool:
    """Whether `text` says nothing but doubt or a yes asked back."""
    if _SOUNDS_YES.match(text or ""):
        return False
    return _ONLY_SOUNDS.match(text or "") is not None or _YES_ASKED.match(text or "") is not None
