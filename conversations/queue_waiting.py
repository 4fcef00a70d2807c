"""A customer in the queue who asks how long the wait is ("how long will i be waiting",
"is anyone there?", "when will someone answer, you're closed til 9 arent you"): they were
told only that the message was added, with no word on the wait. The gateway answers with
what the handoff desk knows: the expected wait, or when the team is back while it is away.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

_ASKS_ABOUT_THE_WAIT = re.compile(
    # "how long will i be waiting", "how much longer?"; not "how long is the warranty"
    r"\bhow\s+(?:much\s+)?long(?:er)?\b(?=(?:\W+\w+){0,6}?\W+(?:wait\w*|queue|some(?:one|body)|any(?:one|body)"
    r"|person|agent|human|team|reply|answer|respond|get\s+back)\b|\W*$)"
    r"|\bwhen\s+(?:will|does|do|can|is|are)\s+(?:some(?:one|body)|any(?:one|body)|a\s+(?:person|human|agent)"
    r"|the\s+team|you|they|i)\b(?:\s+\w+){0,3}\s+(?:answer|reply|respond|get\s+back|pick|be\s+seen|talk|speak|open|back)"
    r"|\b(?:is\s+)?any(?:one|body)\s+(?:there|around|about)\b|\bstill\s+waiting\b"
    # "how long will that take" (the wait was not told)
    r"|\bhow\s+(?:much\s+)?long(?:er)?\s+(?:will|would|does|is|'?s)\s+(?:that|this|it)\s+(?:take|be)\W*$"
    r"|\bwhat'?s\s+the\s+wait\b|\bwait(?:ing)?\s+time\b"
    r"|\bhow\s+many\s+(?:people\s+)?(?:are\s+)?(?:ahead|in\s+front)\b|\b(?:where|what\s+position)\s+am\s+i\b",
    re.IGNORECASE)


@dataclass(frozen=True)
class WaitNews:
    """What a customer waiting for a person is told: when the team is back while it is away
    (`reopens`, "today at 9:00 UK time"), else the expected wait (`wait`, "about 10
    minutes"); when the team leaves before that wait is over, also when it closes (`closes`,
    "20:00 UK time") and when it is back."""

    reopens: Optional[str] = None
    wait: Optional[str] = None
    closes: Optional[str] = None


def asks_about_the_wait(text: str) -> bool:
    return _ASKS_ABOUT_THE_WAIT.search(text) is not None
