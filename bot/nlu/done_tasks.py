"""A task the customer says is already done ("i returned part of order HG-…", "I've sent the
kettle back") is the context of what they ask beside it, not a request to do it again: "hi,
has my refund gone through yet? i returned part of order HG-100003" started a new return and
put the refund off behind a button (a customer run). The clause reading (bot/nlu/fallback.py)
takes such a clause as details told."""

from __future__ import annotations

import re
from typing import Callable, Dict

from actions.posted_returns import says_it_was_posted_back

# for each task, what tells it done: a return is a parcel posted back (the refund's answer
# reads the same words, actions/refunds.py)
_DONE: Dict[str, Callable[[str], bool]] = {"start_return": says_it_was_posted_back}
# ... but not a done task asked about ("have i returned it right?", "i sent it back?")
_ASKED = re.compile(r"\?\s*$|^\W*(?:have|did|can|could|should)\s+(?:i|we)\b", re.IGNORECASE)


def told_as_done(text: str, intent: str) -> bool:
    """Whether the words tell the task `intent` as already done by the customer."""
    done = _DONE.get(intent)
    return done is not None and done(text or "") and _ASKED.search(text or "") is None
