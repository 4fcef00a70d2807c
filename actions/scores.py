"""Which score question a customer's message answers, if any: the 1-5 rating after a
resolved case or the 0-10 NPS question of the day-30 aftercare message. The one place that decides.

A score is recorded only as the answer to a question the assistant asked in this
conversation, once per question. So a message answers the bot's latest score question only
when it is the first message after it: a number typed with nothing asked, or a second
number after the question was answered, is just a message. A question asked again
("Sorry, I need a number…") is a new question.

A typed "3" or "9" reads the same to the NLU whichever was asked, so the actions for both
intents go by the question asked, not by the intent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker

RATING, NPS = "rating", "nps"
QUESTIONS = {"utter_ask_rating": RATING, "utter_ask_nps": NPS, "utter_ask_nps_again": NPS}
WORDS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
         "seven": 7, "eight": 8, "nine": 9, "ten": 10}
_NUMBER = re.compile(r"(?<![\d.])(\d{1,2})(?![\d.])|\b(" + "|".join(WORDS) + r")\b", re.IGNORECASE)


@dataclass(frozen=True)
class AskedQuestion:
    """A score question the bot asked in one conversation. Rasa stores every bot message
    with its timestamp, so the question's own timestamp names it for good: the same answer
    arriving twice (a resend, a race) carries the same key and is stored once."""

    kind: str
    conversation_id: str
    asked_at: float

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.conversation_id}:{self.asked_at!r}"


def answered_question(tracker: Tracker) -> Optional[AskedQuestion]:
    """The score question the customer's latest message answers: the bot's latest score
    question, if no other user message came between it and this one; otherwise None."""
    events: List[Dict[str, Any]] = tracker.events
    latest = next((i for i in range(len(events) - 1, -1, -1)
                   if events[i].get("event") == "user"), None)
    if latest is None:
        return None
    for event in reversed(events[:latest]):
        if event.get("event") == "user":
            return None
        if event.get("event") != "bot":
            continue
        kind = QUESTIONS.get((event.get("metadata") or {}).get("utter_action") or "")
        if kind is not None:
            asked_at = event.get("timestamp")
            return None if asked_at is None else AskedQuestion(kind, tracker.sender_id,
                                                               float(asked_at))
    return None


# a message that opens with a score and goes on to say why: "2, and honestly your delivery is
# always late" (read as a delivery question, the rating was lost), "10/10 would recommend"
# A hedge before or after it is still the score: "3 i guess, didnt say if returns from spain are
# free" and "meh 3 i guess, you couldnt even tell me if its in stock" were answered as a
# returns and a stock question, and neither rating was recorded (a customer run)
_HEDGE_BEFORE = r"(?:(?:meh|hmm+|um+|erm*|uh+|well|honestly|tbh|probably|prob|maybe|about|around|like|i'?d\s+say|i\s+guess)\W+)*"
_HEDGE_AFTER = r"i\s+guess|i\s+suppose|i\s+think|i'?d\s+say|tbh|at\s+best|at\s+most|maybe|probably|if\s+that|honestly"
_SCORE_OPENING = re.compile(
    r"^\W*" + _HEDGE_BEFORE + r"(?:(\d{1,2})|(" + "|".join(WORDS) + r"))(?:\s*(?:/\s*(5|10)|out\s+of\s+(5|10)|stars?)\b"
    r"|(?=\s*(?:$|[,.;:!\-]|(?:and|but|because|cos|as|though|tho|" + _HEDGE_AFTER + r")\b)))", re.IGNORECASE)
SCALES = {RATING: range(1, 6), NPS: range(0, 11)}
# a request after the score is the rules' to answer ("1. where is my refund")
# ("could be faster" says why: "could" asks only with someone to ask)
_REQUEST_AFTER = re.compile(r"\?|\b(?:want|need|(?:can|could)\s+(?:you|u|i|someone|somebody|we)|please|pls"
                            r"|cancel|refund|return|where|when|how|why|what|whats)\b", re.IGNORECASE)


# the rating question's own words for its ends: "from 1 (poor) to 5 (excellent)" ("excellent!"
# got a fallback, twice in a customer run)
_RATING_LABELS = {"excellent": 5, "poor": 1}
_LABEL_ONLY = re.compile(r"^\W*(?:very\s+|really\s+)?(" + "|".join(_RATING_LABELS) + r")\W*$", re.IGNORECASE)


def rating_label(text: Optional[str]) -> Optional[str]:
    """The score a message that is only one of the rating question's labels names."""
    found = _LABEL_ONLY.match(text or "")
    return str(_RATING_LABELS[found.group(1).lower()]) if found else None


def opening_score(text: Optional[str], kind: str) -> Optional[int]:
    """The score a message opens with, on the scale of `kind` (RATING 1-5, NPS 0-10), when the
    rest says why; None when it does not open with one ("2 orders arrived damaged"), names
    the other scale ("4/10" to the rating) or asks for something after it."""
    label = rating_label(text) if kind == RATING else None
    if label is not None:
        return int(label)
    found = _SCORE_OPENING.search(text or "")
    if found is None or _REQUEST_AFTER.search((text or "")[found.end():]):
        return None
    scale = found.group(3) or found.group(4)
    if scale is not None and int(scale) != SCALES[kind].stop - 1:
        return None  # "4/10" to the 1-5 rating: another scale, not 4 of 5
    score = int(found.group(1)) if found.group(1) else WORDS[found.group(2).lower()]
    return score if score in SCALES[kind] else None


_COURTESIES = frozenset({"thanks", "thank", "you", "thx", "ta", "cheers", "stars", "star", "and", "bye",
                         "goodbye", "ok", "okay"})


def says_why(text: Optional[str], kind: str) -> bool:
    """Whether a message that opens with a score goes on to say why ("3/5, could be faster"):
    words after the score, which are the customer's comment on it."""
    found = _SCORE_OPENING.search(text or "")
    if found is None or opening_score(text, kind) is None:
        return False
    words = set(re.findall(r"[^\W\d_]{2,}", (text or "")[found.end():].lower()))
    return bool(words - _COURTESIES)  # "4, thank you" is no comment


def typed_number(text: Optional[str]) -> Optional[str]:
    """The first number a customer typed ("9", "I'd say 8 out of 10", "five stars")."""
    found = _NUMBER.search(text or "")
    if found is None:
        return None
    return found.group(1) or str(WORDS[found.group(2).lower()])
