"""Which score question a customer's answer belongs to: the 1-5 rating after a resolved
case or the 0-10 NPS question of the day-30 follow-up.

A typed "3" or "9" reads the same to the NLU whichever was asked, so the actions for both
intents decide from the question the bot asked last, not from the intent.
"""

from __future__ import annotations

import re
from typing import Optional

from rasa_sdk import Tracker

RATING, NPS = "rating", "nps"
QUESTIONS = {"utter_ask_rating": RATING, "utter_ask_nps": NPS, "utter_ask_nps_again": NPS}
WORDS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
         "seven": 7, "eight": 8, "nine": 9, "ten": 10}
_NUMBER = re.compile(r"(?<![\d.])(\d{1,2})(?![\d.])|\b(" + "|".join(WORDS) + r")\b", re.IGNORECASE)


def last_question(tracker: Tracker) -> Optional[str]:
    """RATING or NPS: the score question the bot asked most recently, if any."""
    for event in reversed(tracker.events):
        if event.get("event") == "bot":
            asked = QUESTIONS.get((event.get("metadata") or {}).get("utter_action") or "")
            if asked:
                return asked
    return None


def typed_number(text: Optional[str]) -> Optional[str]:
    """The first number a customer typed ("9", "I'd say 8 out of 10", "five stars")."""
    found = _NUMBER.search(text or "")
    if found is None:
        return None
    return found.group(1) or str(WORDS[found.group(2).lower()])
