"""Days a customer names in their own words: a date written out ("15 April", "15/04/2027"),
a weekday ("by Saturday"), "tomorrow", "this weekend", "Christmas". One place reads them,
for the 5W1H deadline (needs/extraction.py) and for "will it arrive by Saturday?"
(company/arrival.py)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import List, Optional, Tuple

MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december"]
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

_NUMERIC_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b|\b(\d{1,2})/(\d{1,2})/(\d{2,4})\b")
_DAY_MONTH = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?(?: of)? (" + "|".join(MONTHS) + r")\b(?: (\d{4}))?")
_MONTH_DAY = re.compile(r"\b(" + "|".join(MONTHS) + r") (\d{1,2})(?:st|nd|rd|th)?\b(?:,? (\d{4}))?")


def stated_date(text: str, today: date) -> Optional[date]:
    """A calendar date the customer wrote out in full (with a year, or a day and month,
    read as the next such day), for checking that a deadline has not passed."""
    lowered = (text or "").lower()
    try:
        numeric = _NUMERIC_DATE.search(lowered)
        if numeric and numeric.group(1):
            return date(int(numeric.group(1)), int(numeric.group(2)), int(numeric.group(3)))
        if numeric:
            year = int(numeric.group(6))
            return date(year + 2000 if year < 100 else year, int(numeric.group(5)),
                        int(numeric.group(4)))
        for pattern, day_group, month_group in ((_DAY_MONTH, 1, 2), (_MONTH_DAY, 2, 1)):
            spelled = pattern.search(lowered)
            if spelled:
                month = MONTHS.index(spelled.group(month_group)) + 1
                day = int(spelled.group(day_group))
                if spelled.group(3):
                    return date(int(spelled.group(3)), month, day)
                this_year = date(today.year, month, day)
                return this_year if this_year >= today else date(today.year + 1, month, day)
    except ValueError:
        return None  # 31/02 and the like: not a date, so nothing to check
    return None


# a weekday as typed in a chat ("sat", "thurs")
_WEEKDAY = re.compile(r"\b(?P<day>mon(?:day)?|tue(?:s|sday)?|wed(?:nesday)?|thu(?:rs?|rsday)?|fri(?:day)?"
                      r"|sat(?:urday)?|sunday)s?\b", re.IGNORECASE)  # ("sun" alone is the sun)
_TOMORROW = re.compile(r"\b(?:tomorrow|tmrw|tmr|tomoz|2moro|2morrow)\b", re.IGNORECASE)
# a day of the month alone ("by the 12th"): this month's, or next month's once it has passed
_DAY_OF_MONTH = re.compile(r"\bthe\s+(\d{1,2})(?:st|nd|rd|th)\b", re.IGNORECASE)
_TODAY = re.compile(r"\b(?:today|tonight|this\s+evening)\b", re.IGNORECASE)
_WEEKEND = re.compile(r"\b(?:next|this|the)\s+weekend\b", re.IGNORECASE)
_BOXING_DAY = re.compile(r"\bboxing\s+day\b", re.IGNORECASE)
_NEW_YEARS_EVE = re.compile(r"\bnew\s+year'?s?\s+eve\b|\bnye\b", re.IGNORECASE)
_NEW_YEARS_DAY = re.compile(r"\bnew\s+year'?s?\s+day\b", re.IGNORECASE)
_CHRISTMAS = re.compile(r"\b(?:christmas|xmas|crimbo)(?:\s+day)?\b", re.IGNORECASE)
_CHRISTMAS_EVE = re.compile(r"\b(?:christmas|xmas)\s+eve\b", re.IGNORECASE)


def day_named(text: str, today: date) -> Optional[date]:
    """The day a message names, from `today`: a date written out, "tomorrow", a weekday (the
    coming one: "next Saturday" is read so too, as the sooner day is the safer one to promise
    against), "the weekend" (its Saturday), Christmas (Eve), Boxing Day, New Year's Eve and Day;
    None when it names none."""
    written = stated_date(text, today)
    if written is not None:
        return written
    if _CHRISTMAS_EVE.search(text or ""):
        return _next_yearly(today, 12, 24)
    if _BOXING_DAY.search(text or ""):
        return _next_yearly(today, 12, 26)
    if _NEW_YEARS_EVE.search(text or ""):
        return _next_yearly(today, 12, 31)
    if _NEW_YEARS_DAY.search(text or ""):
        return _next_yearly(today, 1, 1)
    if _CHRISTMAS.search(text or ""):
        return _next_yearly(today, 12, 25)
    if _TOMORROW.search(text or ""):
        return today + timedelta(days=1)
    weekend = _WEEKEND.search(text or "")
    if weekend:
        return _next_weekday(today, 5)
    weekday = _WEEKDAY.search(text or "")
    if weekday:
        number = next(i for i, name in enumerate(WEEKDAYS) if name.startswith(weekday.group("day").lower()[:3]))
        return _next_weekday(today, number)
    of_month = _DAY_OF_MONTH.search(text or "")
    if of_month:
        return _next_monthly(today, int(of_month.group(1)))
    if _TODAY.search(text or ""):
        return today
    return None


def _next_monthly(today: date, day: int) -> Optional[date]:
    year, month = today.year, today.month
    for _ in range(2):
        try:
            found = date(year, month, day)
        except ValueError:
            return None  # "the 31st" of a shorter month
        if found >= today:
            return found
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None


def _next_yearly(today: date, month: int, day: int) -> date:
    this_year = date(today.year, month, day)
    return this_year if this_year >= today else date(today.year + 1, month, day)


def _next_weekday(today: date, weekday: int) -> date:
    """The coming `weekday` (today itself when it is that day)."""
    ahead = (weekday - today.weekday()) % 7
    return today + timedelta(days=ahead)


# where a message names one day after another ("xmas eve n boxing day", "monday or tuesday")
_BETWEEN_DAYS = re.compile(r"\s*(?:,|/|&|\band\b|\bn\b|\bor\b)\s*", re.IGNORECASE)


def days_named(text: str, today: date) -> List[date]:
    """Every day a message names, in its order, each once (`day_named` for each part)."""
    found: List[date] = []
    for part in _BETWEEN_DAYS.split(text or ""):
        day = day_named(part, today) if part.strip() else None
        if day is not None and day not in found:
            found.append(day)
    return found


# every pattern day_named reads a day by
_DAY_PATTERNS = (_NUMERIC_DATE, _DAY_MONTH, _MONTH_DAY, _CHRISTMAS_EVE, _BOXING_DAY, _NEW_YEARS_EVE,
                 _NEW_YEARS_DAY, _CHRISTMAS, _TOMORROW, _WEEKEND, _WEEKDAY, _DAY_OF_MONTH, _TODAY)


def day_spans(text: str) -> List[Tuple[int, int]]:
    """Where a message names a day `day_named` reads ("and tomorrow?", "xmas eve"), as
    (start, end) offsets into `text`, for telling a day asked alone from a new question."""
    lowered = (text or "").lower()
    if len(lowered) != len(text or ""):
        lowered = text or ""  # (a letter whose lower case is longer: the offsets must hold)
    return sorted({found.span() for pattern in _DAY_PATTERNS for found in pattern.finditer(lowered)})
