"""A parcel the customer says they have posted back, with proof of postage.

"i have the post office receipt. 2 weeks ago" (to the model, an invoice request) was sent a
copy of the order's invoice, twice, and "I've got the receipt from the post office" got the
order's delivery date; with no return on record the refund answer said only "there's no
refund on it" (a customer run). The order's refund answer reads these words: where no return
is on record, a person traces the parcel with the customer's proof (actions/refunds.py); an
invoice asked for in these words gets the refund answer instead (actions/orders.py).
"""

from __future__ import annotations

import re

from rasa_sdk import Tracker

from actions.tracker_reading import session_messages_newest_first

# how many of the session's latest customer messages are read for it
MESSAGES_READ = 4

_POSTED_BACK = re.compile(
    r"\bproof\s+of\s+(?:postage|posting|return|sending)\b"
    r"|\bpost\s*office\s+(?:receipt|slip)"
    r"|\b(?:receipt|slip)\s+from\s+(?:the\s+|my\s+)?post\s*office\b"
    r"|\b(?:postage|posting|drop[\s-]*off|courier)\s+receipt"
    r"|\b(?:posted|sent|mailed|returned|dropped|shipped|brought)\s+(?:it|them|the\s+\w+|everything|my\s+\w+)\s+back\b"
    r"|\b(?:i|we|i've|ive|i\s+have|i\s+already|already)\s+(?:already\s+)?(?:posted|returned)\s+(?:it|them|the\s+\w+)\b"
    # ("i returned part of order HG-…", beside "has my refund gone through yet?": a customer run)
    r"|\b(?:i|we|i've|ive|i\s+have)\s+(?:already\s+)?returned\s+(?:part|some|one|two|both|all|everything|my)\b",
    re.IGNORECASE)


def says_it_was_posted_back(text: str) -> bool:
    """Whether the words say the parcel was sent back, or name the proof of its postage."""
    return _POSTED_BACK.search(text) is not None


def posted_back_in_session(tracker: Tracker) -> bool:
    """Whether one of the customer's latest messages in this session says so."""
    for number, event in enumerate(session_messages_newest_first(tracker)):
        if number >= MESSAGES_READ:
            return False
        if says_it_was_posted_back(str(event.get("text") or "")):
            return True
    return False
