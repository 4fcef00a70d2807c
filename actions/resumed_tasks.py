"""A task taken up again ("ok back to the address change") goes on with its own order.

"i need to change the delivery address for HG-100001", then "actually first, has HG-100002
shipped yet?", then "ok back to the address change" and the "Change a delivery address"
button: the change went on with HG-100002, the order last named, and the customer was told
it had already left the warehouse, when HG-100001 could still be changed (two customer runs).
A task asked for again with no order named, right after words that go back to it, is for the
order that task was asked for before.
"""

from __future__ import annotations

import re
from typing import Optional

from rasa_sdk import Tracker

from actions import verification
from actions.tracker_reading import message_intent, message_read, session_messages_newest_first

# the tasks that change or send something for one order (order_status is a question: "and the
# other one?" is about the order just named)
RESUMED_TASKS = frozenset({"change_address", "cancel_order", "start_return", "request_invoice", "refund_status"})
_GOES_BACK = re.compile(
    r"\bback\s+to\b|\bgo(?:ing)?\s+back\b|\breturn\s+to\b|\bas\s+i\s+(?:said|asked)\b|\bthe\s+first\s+(?:one|order)\b"
    r"|\bcarry\s+on\s+with\b|\bcontinue\s+with\b", re.IGNORECASE)


def order_of_the_task_resumed(tracker: Tracker) -> Optional[str]:
    """The order the latest task was asked for before, when the customer goes back to it: the
    latest message (or the one before a button press) says so and names no order."""
    messages = list(session_messages_newest_first(tracker))
    if not messages:
        return None
    latest = messages[0]
    task = message_intent(latest)
    if task not in RESUMED_TASKS or verification.named_orders(message_read(latest)):
        return None
    words = [str(m.get("text") or "") for m in messages[:2]]
    if not any(_GOES_BACK.search(text) for text in words if not text.startswith("/")):
        return None
    for earlier in messages[1:]:
        if message_intent(earlier) == task:
            named = verification.named_orders(message_read(earlier))
            if len(named) == 1:
                return named[0]
    return None

