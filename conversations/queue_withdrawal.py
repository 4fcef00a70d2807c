"""A customer waiting in the queue for a person who no longer needs one.

Messages written while queued are not read by the assistant (a person will read them), so
"never mind, sorted it" left a ticket in the queue for an agent to pick up for nothing. The
gateway asks first, with two buttons, and only a "yes" to that question (the button, or a
typed yes while the buttons are on screen) takes the customer out of the queue: a false alarm
here costs one question, never a lost request.
"""

from __future__ import annotations

import re
from typing import Optional

# the buttons of the question (payloads the gateway handles itself; Rasa never sees them)
WITHDRAW = "/withdraw_handoff"
KEEP_WAITING = "/keep_waiting"
PAYLOADS = frozenset({WITHDRAW, KEEP_WAITING})

BUTTONS = [
    {"title": "Yes, I'm sorted", "payload": WITHDRAW},
    {"title": "No, I still need a person", "payload": KEEP_WAITING},
]

_SOUNDS_DONE = re.compile(
    r"\b(?:"
    r"never\s*mind|nvm|forget\s+(?:it|about\s+it|that|the\s+(?:request|ticket))"
    r"|no\s+need\s+(?:any\s*more|now)"
    r"|(?:do\s*n[o']?t|no\s+longer|won'?t)\s+need\s+(?:a\s+|the\s+)?"
    r"(?:person|human|agent|anyone|any\s*one|somebody|someone|help|you|it)"
    r"|(?:all\s+|it'?s\s+|i'?ve\s+|i\s+have\s+|got\s+it\s+|managed\s+to\s+)?sorted(?:\s+(?:it|now))?(?!\s+by)"
    r"|(?:i\s+|i'?ve\s+)?(?:figured|worked)\s+it\s+out|found\s+it"
    r"|(?:problem|issue|it'?s|all)\s+(?:solved|resolved|fixed)|(?:solved|fixed)\s+it"
    r"|(?:it'?s\s+)?(?:all\s+good|fine)\s+now|works\s+now|working\s+now|it\s+(?:just\s+)?arrived"
    r"|cancel\s+(?:my|the|this)\s+(?:request|ticket|chat|call\s+back)"
    r"|(?:i'?ll|i\s+will)\s+(?:try|call|ring|email)\s+(?:again\s+)?(?:later|tomorrow|another\s+time)"
    r")\b",
    re.IGNORECASE,
)
# still needing the person, around those words: "not sorted", "haven't found it", "is it
# sorted?"
_STILL_NEEDS = re.compile(r"\b(?:not|never|still|yet|but)\b|n'?t\b|\?\s*$", re.IGNORECASE)
# upset, or wanting something else, anywhere: "forget it, this is useless, I want a manager",
# "it arrived broken", "never mind, I'll just sue you" (no "are you sorted?" button to mis-press)
_UPSET_OR_ELSE = re.compile(
    r"\b(?:broken|damaged|wrong|useless|rubbish|ridiculous|joke|manager|sue|court|complain\w*|"
    r"replace\w*|instead|i want|i need|spark\w*|smok\w*|fire|burn\w*|leak\w*|melt\w*|"
    r"done with|lost a customer|elsewhere|somewhere else)\b|\bno!", re.IGNORECASE)
_NEVER_MIND = re.compile(r"^\W*(?:(?:oh|ok|okay|actually|sorry|ah)\W+)*(?:never\s*mind|nvm|forget\s+it)\b",
                         re.IGNORECASE)


_TYPED_YES = re.compile(r"^\W*(?:yes|yeah|yep|yup|ye|y|ok|okay|sure|i'?m sorted|all sorted|sorted)\b",
                        re.IGNORECASE)
_TYPED_NO = re.compile(r"^\W*(?:no|nope|nah|not yet|i still need|still need)\b", re.IGNORECASE)


def typed_answer(text: str) -> Optional[str]:
    """The button a typed reply to the question means ("yes im sorted thanks": leave the
    queue), or None when it is no plain yes or no (it is then kept for the person)."""
    if _TYPED_NO.match(text):
        return KEEP_WAITING
    if _TYPED_YES.match(text) and not re.search(r"\b(?:but|still|not|no)\b|n't\b", text, re.IGNORECASE):
        return WITHDRAW
    return None


def sounds_withdrawn(text: str) -> bool:
    """Whether a message written in the queue may mean the customer no longer needs a person
    (the gateway then asks; it never withdraws on words alone)."""
    text = text.strip()
    if not text or len(text) > 200:
        return False
    match = _SOUNDS_DONE.search(text)
    if match is None or _UPSET_OR_ELSE.search(text):
        return False
    rest = text[:match.start()] + " " + text[match.end():]
    if _STILL_NEEDS.search(rest) is None:
        return True
    # opening with "never mind" says it even beside a "not" ("never mind, it's not urgent")
    return _NEVER_MIND.match(text) is not None and re.search(r"\bstill\b|\?\s*$", rest) is None
