"""When parcels come (company/help_articles/shops-and-collection.md): on working days, with no
time slot; once shipped, the courier's tracking page lets the customer choose another day or
a safe place. "do u deliver on saturdays" was answered with the countries and their costs."""

from __future__ import annotations

import re

ABOUT_DELIVERY_DAYS = re.compile(
    r"\b(?:saturdays?|sundays?|weekends?|bank\s+holidays?|evenings?|time\s+slots?|(?:which|what)\s+days?"
    r"|what\s+time|nominated\s+day|specific\s+day|after\s+\d{1,2}\s*(?:pm|am|o'?clock)?"
    r"|before\s+\d{1,2}\s*(?:pm|am|o'?clock)?)\b", re.IGNORECASE)


# next-day delivery has its own answer (the overview's): "is there next day delivery if I
# order before 8pm?" was told about working days
_NEXT_DAY = re.compile(r"\bnext[\s-]*day\b|\bexpress\b", re.IGNORECASE)


def asks_about_delivery_days(text: str) -> bool:
    """Whether a delivery question asks on which days or at what time parcels come."""
    return ABOUT_DELIVERY_DAYS.search(text or "") is not None and not _NEXT_DAY.search(text or "")
