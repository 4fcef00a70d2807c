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
    r"|\bwait\b|\bthink about it\b|\bchanged? my mind\b|\bnever\s*mind\b|\bnot (?:yet|now|sure)\b"
    r"|\bforget it\b|\bscratch that\b",
    re.IGNORECASE)
_YES = re.compile(
    r"\b(?:yes|yeah|yep|yup|yh|ye|sure|ok(?:ay)?|go ahead|please do|do it|confirm(?:ed)?|"
    r"definitely|absolutely|cancel it|cancel (?:the|my) order|correct|that'?s right)\b",
    re.IGNORECASE)
_NO = re.compile(r"^\W*(?:no|nope|nah|nay)\b|\bno thanks?\b|\bdon'?t\b", re.IGNORECASE)


def confirmation_answer(text: str, intent: Optional[str] = None) -> Optional[bool]:
    """True for yes, False for no, None when unclear. The affirm and deny intents (a button,
    or words the model is sure of) decide; otherwise the words do, a holding back first."""
    if intent == "affirm":
        return True
    if intent == "deny":
        return False
    if _HOLD_BACK.search(text):
        return False
    said_no = _NO.search(text) is not None
    if _YES.search(text):
        return False if said_no else True
    return False if said_no else None
