"""Whether a message only hesitates: "hmm", "uhh", "meh", "ok?".

The model reads such sounds as agreement ("hmm" is affirm at 0.67, "uhh" at 0.89), and at
"Are you sure you want to cancel the whole order?" or "send order … to 5 Elm Street?" a
"hmm" cancelled the order and sent the parcel elsewhere (4 of 4 in a customer run). A
message that only hesitates is never a yes: the fallback classifier (bot/nlu/fallback.py)
falls back on it, marked HESITANT, so that it is no failed turn (two in a row handed the
customer over) and a yes/no question waiting for its answer is asked again
(bot/policies/pending_questions.py); the words of a reply to a change's confirmation are
read with it too (actions/confirmation_replies.py).
"""

from __future__ import annotations

import re

# the parse's mark of a message that fell back for hesitating
HESITANT = "hesitant"

_SOUNDS = (r"h+m+|m{3,}|u+h+m*|u+m+|e+r+m*|e+h+|a+h+m*|meh|idk|dunno|not\s+sure|i'?m\s+not\s+sure"
           r"|maybe|perhaps|i\s+guess|i\s+suppose|let\s+me\s+think|thinking|well+|so+"
           # a later run: "i dunno" at a return's summary dropped the return, and at an address
           # read back kept the old address; "wait", "one sec" got "in a few words what you need?"
           r"|i\s+dunno|i\s+(?:do\s*n[o']?t|don'?t)\s+know|dont\s+know|tbh|honestly|really|yet|about\s+it"
           r"|wait|one\s+sec(?:ond)?|a\s+sec(?:ond)?|a\s+moment|a\s+min(?:ute)?|hold\s+on|hang\s+on"
           r"|give\s+me|just")
# the sounds that say yes ("uh huh", "mhm", "mm-hmm")
_SOUNDS_YES = re.compile(r"^\W*(?:u+h+[\s-]*h+u+h+|m+h+m+|m+[\s-]*h+m+)\W*$", re.IGNORECASE)
_ONLY_SOUNDS = re.compile(rf"^[\W_]*(?:(?:{_SOUNDS})\b[\W_]*)+$", re.IGNORECASE)
# a yes asked back, not given ("ok?", "k?", "okay...?", "yes??", "really?"), or trailing off
# ("ok...": a customer run cancelled an order on it)
_YES_ASKED = re.compile(r"^\W*(?:ok(?:ay)?|k+|mk|yes|yeah|yep|sure|right|really|correct|fine|alright)"
                        r"\s*(?:[.…\s]*\?+|\.{2,}|…)[\W]*$", re.IGNORECASE)


def only_hesitates(text: str) -> bool:
    """Whether `text` says nothing but doubt or a yes asked back."""
    if _SOUNDS_YES.match(text or ""):
        return False
    return _ONLY_SOUNDS.match(text or "") is not None or _YES_ASKED.match(text or "") is not None
