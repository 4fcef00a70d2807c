"""A customer in the queue who asks how long the wait is ("how long will i be waiting",
"is anyone there?", "when will someone answer, you're closed til 9 arent you"): they were
told only that the message was added, with no word on the wait. The gateway answers with
what the handoff desk knows: the expected wait, or when the team is back while it is away.

One who asks where the reply will come ("will they reply by email or here? i'm going to close
the browser") was answered with the shop's phone number and email address (a customer run):
the gateway says the reply comes in this conversation, and how to find it after leaving.
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


_REPLY_VERB = (r"(?:reply|replies|respond|answer|get\s+back|contact|message|write|be\s+in\s+touch|hear\s+back"
               r"|hear\s+from|notif(?:y|ied)|let\s+me\s+know|call|ring|text)")
_CHANNEL_WORD = (r"(?:e-?mail(?:ed)?|mail|here|in\s+(?:this|the)\s+chat|on\s+(?:this|the)\s+(?:chat|page|site|website)|sms"
                 r"|(?:by|on\s+the|over\s+the)\s+phone|text(?:ed)?|telegram|notification)")
_ASKS_WHERE_THE_REPLY_COMES = re.compile(
    # "will they reply by email or here?", "do they email you back or is it in this chat"
    rf"\b{_REPLY_VERB}\b(?:\W+\w+){{0,5}}?\W+{_CHANNEL_WORD}\b"
    rf"|\b(?:e-?mail|phone|text)\b(?:\W+\w+){{0,4}}?\W+(?:or|and)\s+(?:here|in\s+(?:this|the)\s+chat)\b"
    r"|\b(?:e-?mail|text|call|ring|phone|message)\w*\s+(?:you|me)\s+back\b"
    # "can i close the browser", "do i have to keep this page open", "is it ok to leave the chat"
    r"|\b(?:can|could|may|should|shall)\s+i\s+(?:just\s+)?(?:close|shut|leave|exit|quit)\s+(?:the|this|my)\s+"
    r"(?:browser|page|tab|window|chat|app|site|website)\b"
    # (not "is it ok to leave the parcel with a neighbour")
    r"|\b(?:ok|okay|alright|all\s+right|fine|safe)\s+(?:if\s+i|for\s+me\s+to|to)\s+(?:close|shut|leave|exit|go)\s+"
    r"(?:(?:the|this|my)\s+(?:browser|page|tab|window|chat|app|site|website|conversation)\b|now\b|for\s+now\b"
    r"|and\s+come\s+back\b)"
    r"|\b(?:do|will|would)\s+i\s+(?:have|need)\s+to\s+(?:stay|keep|wait|remain|be)\s+(?:on|here|online|in|with|this|the)\b"
    r"|\bhow\s+will\s+i\s+(?:know|see|find\s+out|get|hear)\b(?:\W+\w+){0,4}?\W+(?:reply|replies|repl(?:y|ied)|answer\w*|respond\w*|back)\b"
    r"|\bwill\s+i\s+(?:get|be\s+sent|receive)\s+(?:an?\s+)?(?:e-?mail|notification|text|message)\b",
    re.IGNORECASE)
# asked, not told: "i emailed you and nobody replied here" is for the person
_ASKED = re.compile(r"\?|^\W*(?:\w+\W+){0,3}?(?:will|would|can|could|may|do|does|is|are|should|shall|how)\b",
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


def asks_where_the_reply_comes(text: str) -> bool:
    """Whether a queued customer asks how the person's reply will reach them (email or here,
    whether they may close the page)."""
    return _ASKS_WHERE_THE_REPLY_COMES.search(text) is not None and _ASKED.search(text) is not None
