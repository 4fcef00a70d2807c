"""The bank holidays of England and Wales: the support team's days off (handoff/team_hours.py)
and days that are not working days in the company's promises (company/policies.py)."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from typing import FrozenSet


def _easter(year: int) -> date:
    """Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 (the algorithm's own name)
    m = (a + 11 * h + 19 * l) // 433
    month = (h + l - 7 * m + 90) // 25
    return date(year, month, (h + l - 7 * m + 33 * month + 19) % 32)


def _first_monday(year: int, month: int) -> date:
    day = date(year, month, 1)
    return day + timedelta(days=(7 - day.weekday()) % 7)


def _last_monday(year: int, month: int) -> date:
    following = date(year + (month == 12), month % 12 + 1, 1)
    day = following - timedelta(days=1)
    return day - timedelta(days=day.weekday())


@lru_cache(maxsize=32)
def bank_holidays(year: int) -> FrozenSet[date]:
    """The regular bank holidays of England and Wales, with the weekday substitutes for New
    Year, Christmas and Boxing Day (one-off royal holidays are not included)."""
    new_year = date(year, 1, 1)
    while new_year.weekday() >= 5:
        new_year += timedelta(days=1)
    easter = _easter(year)
    christmas, boxing = date(year, 12, 25), date(year, 12, 26)
    if christmas.weekday() == 5:  # Saturday: Monday and Tuesday instead
        christmas, boxing = date(year, 12, 27), date(year, 12, 28)
    elif christmas.weekday() == 6:  # Sunday: Boxing Day on Monday, Christmas on Tuesday
        christmas = date(year, 12, 27)
    elif boxing.weekday() == 5:  # Christmas on Friday: Boxing Day on Monday
        boxing = date(year, 12, 28)
    return frozenset({new_year, easter - timedelta(days=2), easter + timedelta(days=1),
                      _first_monday(year, 5), _last_monday(year, 5), _last_monday(year, 8),
                      christmas, boxing})
