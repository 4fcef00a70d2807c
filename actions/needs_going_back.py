""""go back" in the 5W1H interview: the question before is asked again.

"go back" where the Where was asked was kept as the Where ("Where: go back"), and "sorry i
meant go back to the previous question, the venue is the Grand Hotel in York" as the Who (a
customer run). Now the words that go back empty the answer to the question asked before the
current one, so the form asks it again; words after them ("…, the venue is the Grand Hotel in
York") are that answer, and the current question is asked again.
"""

from __future__ import annotations

import re
from typing import Optional

from rasa_sdk import Tracker

_GO_BACK = re.compile(
    r"^\W*(?:(?:sorry|oops|wait|hang\s+on|hold\s+on|actually|no|ah|um+|hmm+|ok|i\s+meant(?:\s+to\s+say)?)\W+)*"
    r"(?:can\s+(?:we|i|you)\s+|let'?s\s+|please\s+|i\s+(?:want|need)\s+to\s+)?go\s+back\b"
    r"(?:\s+(?:to\s+)?(?:the\s+)?(?:previous|last|other|earlier)\s+(?:question|one|bit))?"
    r"|^\W*(?:(?:sorry|actually|no)\W+)*(?:i\s+meant\s+)?(?:for\s+)?the\s+(?:previous|last|earlier)\s+question\b",
    re.IGNORECASE)


def words_after_going_back(text: str) -> Optional[str]:
    """None when the words do not go back; else what follows them (perhaps nothing)."""
    found = _GO_BACK.search(text or "")
    if found is None:
        return None
    return text[found.end():].strip(" ,;:.-!?")


def previous_question(tracker: Tracker, current: str) -> Optional[str]:
    """The slot the form asked for before `current`, in this interview (None at the first)."""
    asked = []
    for event in tracker.events:
        if event.get("event") == "active_loop" and event.get("name") == "needs_form":
            asked = []
        if event.get("event") == "slot" and event.get("name") == "requested_slot" and event.get("value"):
            if not asked or asked[-1] != event["value"]:
                asked.append(str(event["value"]))
    while asked and asked[-1] == current:
        asked.pop()
    return asked[-1] if asked else None
