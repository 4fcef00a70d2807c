"""An order picked by its place among the ones the assistant offered: "the first one".

A message naming two orders ("where are HG-100001 and HG-100002") gets "You mentioned
HG-100001 and HG-100002. Which one shall we start with?" with a button for each; "the first
one", typed instead of pressing a button, was "not one of our order numbers" (a customer
run). The order form reads such words against the buttons of that question.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional

from rasa_sdk import Tracker

WHICH_ORDER = "utter_which_order"

_POSITION = re.compile(
    r"^\W*(?:(?:ok|okay|um+|erm|so|let'?s\s+(?:do|start\s+with)|start\s+with|do)\W+)*(?:the\s+)?"
    r"(?P<which>first|1st|second|2nd|third|3rd|last|former|latter)"
    r"(?:\s+(?:one|order|number|1))?(?:\s+(?:please|pls|first|then))?\W*$",
    re.IGNORECASE)
_INDEX = {"first": 0, "1st": 0, "former": 0, "second": 1, "2nd": 1, "latter": -1, "third": 2, "3rd": 2,
          "last": -1}


def _offered(tracker: Tracker) -> List[str]:
    """The order numbers of the buttons of the assistant's "which one?" question, when it is
    the assistant's last message before the customer's latest."""
    seen_latest = False
    for event in reversed(tracker.events):
        kind = event.get("event")
        if kind == "user":
            if seen_latest:
                return []
            seen_latest = True
        elif kind == "bot" and seen_latest:
            if (event.get("metadata") or {}).get("utter_action") != WHICH_ORDER:
                return []
            buttons: List[Dict[str, Any]] = (event.get("data") or {}).get("buttons") or []
            return [str(button.get("payload") or "") for button in buttons if button.get("payload")]
    return []


def order_chosen_by_position(tracker: Tracker) -> Optional[str]:
    """The order the latest message picks by its place ("the first one", "2nd") among those
    the assistant has just offered; None otherwise."""
    found = _POSITION.match(str((tracker.latest_message or {}).get("text") or ""))
    if found is None:
        return None
    offered = _offered(tracker)
    index = _INDEX[found.group("which").lower()]
    if not offered or index >= len(offered):
        return None
    return offered[index]
