"""When parcels come (company/help_articles/shops-and-collection.md): on working days, with no
time slot; once shipped, the courier's tracking page lets the customer choose another day or
a safe place. "do u deliver on saturdays" was answered with the countries and their costs."""

from __future__ import annotations

import re
from datetime import date
from typing import Optional

from ground.calendar_days import day_named

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


def asks_about_next_day(text: str) -> bool:
    """Whether a delivery question asks about next-day (express) delivery: "does next day
    delivery happen on saturday" and "what about next day?" after the delivery to Germany got
    the overview or a clarification (a customer run)."""
    return _NEXT_DAY.search(text or "") is not None


# an order's arrival asked about ahead ("will it arrive by saturday", "will they get here in
# time", "can it be here before friday"); not a parcel that "arrived" already
_ARRIVAL_ASKED = re.compile(
    r"\b(?:in\s+time|arrive|arriving|get\s+(?:here|there|to\s+(?:me|us|her|him|them))|getting\s+here"
    r"|be\s+(?:here|there|delivered|with\s+(?:me|us))|come|coming|reach|make\s+it|land"
    r"|need\s+(?:it|them|this|these)\s+(?:by|before|for|on)"
    # a faster delivery asked for a day ("his birthday is TUESDAY. can you upgrade it to
    # express?" fell back, then handed the customer over: a customer run)
    r"|(?:upgrade|switch|change|send)\s+(?:it\s+|them\s+|the\s+delivery\s+)?(?:to\s+)?(?:express|next[\s-]*day)"
    r"|(?:birthday|party|wedding|anniversary|event|trip|flight|holiday)(?:'s|\s+is)\b)\b", re.IGNORECASE)
# the day the order was placed is no deadline ("I ordered on friday, when will it arrive?"),
# nor a day the customer is out ("i wont be home wed, can the courier leave it with a
# neighbour?" was told it would be there in time for Wednesday: a customer run)
_ORDERED_ON = re.compile(
    r"\b(?:ordered|placed|bought|paid|purchased)\s+(?:it\s+|them\s+|this\s+|the\s+order\s+)?(?:on|last)\s+\w+"
    r"|\b(?:not|won'?t|can'?t|am\s+not|'m\s+not|never)\s+(?:be\s+)?(?:home|in|around|there|here|about|available)"
    r"\s+(?:on\s+|this\s+|next\s+)?\w+",
    re.IGNORECASE)


_DEADLINE_WORD = re.compile(r"\b(?:by|before|for|until|till|on|(?:birthday|party|wedding|anniversary|event|trip"
                            r"|flight|holiday)(?:'s|\s+is)(?:\s+on)?)\s+((?:\w+\W+){0,1}\w+(?:\s+\d{1,2}\w*)?(?:\s+\w+)?)",
                            re.IGNORECASE)


# when an order arrives, asked without a day ("ok but roughly when will it get to me?" after
# "being packed" got the same status again: a customer run); not another thing's arrival
_WHEN_ASKED = re.compile(
    r"\b(?:when|what\s+(?:day|date)|which\s+day|how\s+(?:long|soon)|eta)\b.*" + _ARRIVAL_ASKED.pattern
    + r"|\b(?:eta|estimated\s+(?:delivery|arrival))\b|\bhow\s+long\s+(?:will\s+it|does\s+it|till|until|before)\b"
    # ("how long does that take usually" right after a status got the returns policy: a customer run)
    + r"|\bhow\s+long\s+(?:will|does|do|would)\s+(?:that|this|they|delivery|shipping)\s+(?:\w+\s+)?take\b",
    re.IGNORECASE)
_ANOTHER_THING_ARRIVES = re.compile(r"\b(?:refund\w*|money|tracking|e-?mails?|code|invoice\w*|label|repl(?:y|ies)"
                                    r"|answer|call|person|agent|someone|card|voucher|replacement|return\w*)\b",
                                    re.IGNORECASE)


def asks_when_it_arrives(text: str) -> bool:
    """Whether the words ask when the order arrives, naming no day ("roughly when will it get
    to me?", "whats the eta"): its arrival window answers."""
    return _WHEN_ASKED.search(text or "") is not None and _ANOTHER_THING_ARRIVES.search(text or "") is None


# the last day to order for a day: "when do i need to order by to get it before christmas",
# "whats the last day to order for christmas delivery" (got how to place an order: a customer run)
_LAST_ORDER_ASKED = re.compile(
    r"\bwhen\s+(?:do|should|must|can|would)\s+i\s+(?:need\s+to\s+|have\s+to\s+|got\s+to\s+)?(?:order|buy|place)"
    r"|\blast\s+(?:day|date|order\s+date|posting\s+date)\b|\b(?:order|buy)\s+by\s+when\b|\blatest\s+i\s+can\s+order\b"
    r"|\b(?:christmas|xmas)\s+(?:cut\s*-?\s*off|deadline)s?\b", re.IGNORECASE)


def last_order_deadline(text: str, today: date) -> Optional[date]:
    """The day by which an order not yet placed must arrive, when the words ask the last day
    to order for it; None otherwise."""
    if _LAST_ORDER_ASKED.search(text or "") is None:
        return None
    return _deadline_named(text, today)


def arrival_deadline(text: str, today: date) -> Optional[date]:
    """The day by which a message asks an order to arrive ("ordered lamps for my mum's birthday
    which is on saturday, will they get here in time??" → the coming Saturday), or None when it
    asks no such thing."""
    if _ARRIVAL_ASKED.search(text or "") is None:
        return None
    return _deadline_named(_ORDERED_ON.sub(" ", text), today)


def _deadline_named(words: str, today: date) -> Optional[date]:
    """The day after "by", "before", "for" … ("so wednesday is before friday right? so it will
    be there in time?": Friday), else any day named; None for none, or one already past."""
    after = [day_named(found.group(1), today) for found in _DEADLINE_WORD.finditer(words)]
    day = next((found for found in after if found is not None), None) or day_named(words, today)
    return day if day is not None and day >= today else None
