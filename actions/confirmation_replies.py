"""A typed reply to a yes/no question about a change ("Are you sure you want to cancel the
whole order?"). The buttons say yes or no plainly; typed words often do not reach the
affirm and deny intents ("actually no wait don't cancel it" falls back, "yes cancel it" reads
as the cancellation asked for again), and were answered with "did you mean…?" or handed over.

A reply that says both, or neither, is unclear and the question is asked again: a change is
never made on a guess.
"""

from __future__ import annotations

import re
from typing import Optional

# holding back: "don't cancel it", "leave it for now", "hold on", "I'll think about it"
_HOLD_BACK = re.compile(
    r"\b(?:(?:do|did)\s*n[o']?t|do not|not|never)\s+(?:cancel|do it|do that|go ahead|bother)\b"
    r"|\b(?:keep|leave)\s+(?:it|the order|my order|them|that)\b|\bhold\s+(?:on|off)\b"
    r"|^\W*(?:(?:no|oh|ah|er+m?|um+)\W+)*wait\b|\bthink about it\b|\bchanged? my mind\b"
    r"|\bnever\s*mind\b|\bnot (?:yet|now|sure)\b|\bforget it\b|\bscratch that\b",
    re.IGNORECASE)
_YES = re.compile(
    r"\b(?:yes|yeah|yep|yup|yh|ye|sure|ok(?:ay)?|go ahead|please do|do it|confirm(?:ed)?|"
    r"definitely|absolutely|cancel it|cancel (?:the|my) order|correct|that'?s right)\b",
    re.IGNORECASE)
_NO = re.compile(r"^\W*(?:no|nope|nah|nay|don'?t)\b|\bno thanks?\b|\bplease don'?t\b", re.IGNORECASE)


def confirmation_answer(text: str, intent: Optional[str] = None) -> Optional[bool]:
    """True for yes, False for no, None when unclear. The affirm and deny intents (a button,
    or words the model is sure of) decide; otherwise the words do, a holding back first."""
    if intent == "affirm":
        return True
    if intent == "deny":
        return False
    rest = _HOLD_BACK.sub(" ", text)  # "don't cancel it" says no, not "cancel it"
    said_no = rest != text or _NO.search(text) is not None
    said_yes = _YES.search(rest) is not None
    if said_yes and said_no:
        return None  # "no, cancel it": asked again
    if said_no:
        return False
    return True if said_yes else None
