"""When the support team is at work, and when it is back.

A customer handed to a person at 06:30 on a Saturday was told "the expected wait is within
the hour", while the assistant itself said the team starts at 9:00. The hours come from the
`SUPPORT_HOURS` setting, in local wall-clock time of `SUPPORT_TIMEZONE` (daylight saving is
followed): day groups with one span each, "mon-fri 08:00-20:00, sat 09:00-17:00"; days not
named are closed, and so are the bank holidays of England and Wales. "always" is a team at
work around the clock. Times in the database are naive UTC.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from typing import Dict, FrozenSet, Optional, Tuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

ALWAYS = "always"
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_GROUP = re.compile(r"^(?P<first>[a-z]{3})(?:-(?P<last>[a-z]{3}))?\s+(?P<open>\d{1,2}:\d{2})-(?P<close>\d{1,2}:\d{2})$")


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


@dataclass(frozen=True)
class TeamHours:
    spans: Dict[int, Tuple[time, time]]  # weekday (Monday 0) -> opening, closing
    zone: ZoneInfo

    @classmethod
    def parse(cls, spec: str, zone_name: str) -> Optional["TeamHours"]:
        """The hours in `spec`, or None for "always"; a clear ValueError otherwise."""
        if spec.strip().lower() == ALWAYS:
            return None
        try:
            zone = ZoneInfo(zone_name)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown timezone {zone_name!r}") from error
        spans: Dict[int, Tuple[time, time]] = {}
        for group in filter(None, (part.strip().lower() for part in spec.split(","))):
            match = _GROUP.match(group)
            if not match or match["first"] not in _DAYS or (match["last"] or match["first"]) not in _DAYS:
                raise ValueError(f'support hours must look like "mon-fri 08:00-20:00, sat 09:00-17:00", got {spec!r}')
            first, last = _DAYS.index(match["first"]), _DAYS.index(match["last"] or match["first"])
            try:
                opening, closing = time.fromisoformat(match["open"].zfill(5)), time.fromisoformat(match["close"].zfill(5))
            except ValueError as error:
                raise ValueError(f"support hours have an impossible time: {group!r}") from error
            if not opening < closing or first > last:
                raise ValueError(f"support hours must open before they close, Monday first: {group!r}")
            spans.update({day: (opening, closing) for day in range(first, last + 1)})
        if not spans:
            raise ValueError('support hours are empty: name the days and hours, or say "always"')
        return cls(spans, zone)

    def _span(self, day: date) -> Optional[Tuple[time, time]]:
        return None if day in bank_holidays(day.year) else self.spans.get(day.weekday())

    def is_open(self, moment: datetime) -> bool:
        """Whether the team is at work at the (naive UTC) moment."""
        local = moment.replace(tzinfo=timezone.utc).astimezone(self.zone)
        span = self._span(local.date())
        return span is not None and span[0] <= local.time() < span[1]

    def reopens(self, moment: datetime) -> datetime:
        """The local time the team is next at work from the (naive UTC) moment on."""
        local = moment.replace(tzinfo=timezone.utc).astimezone(self.zone)
        for ahead in range(0, 367):
            day = local.date() + timedelta(days=ahead)
            span = self._span(day)
            if span is None:
                continue
            if local < datetime.combine(day, span[1], tzinfo=self.zone):
                return max(datetime.combine(day, span[0], tzinfo=self.zone), local)
        raise ValueError("the support team is never at work")  # parse refuses empty hours

    def closes_before(self, moment: datetime, later: datetime) -> Optional[str]:
        """The closing time ("20:00 UK time") when the team, at work at `moment`, leaves before
        `later` (both naive UTC); None when it is still at work then."""
        if not self.is_open(moment) or self.is_open(later):
            return None
        local = moment.replace(tzinfo=timezone.utc).astimezone(self.zone)
        span = self._span(local.date())
        assert span is not None  # open at `moment`
        return f"{span[1].hour}:{span[1].minute:02d} {self._zone_label()}"

    def reopening_phrase(self, moment: datetime) -> str:
        """When the team is back, as the customer reads it: "today at 9:00 UK time",
        "tomorrow at 8:00 UK time", "on Monday 28 December at 8:00 UK time"."""
        local = moment.replace(tzinfo=timezone.utc).astimezone(self.zone)
        back = self.reopens(moment)
        clock = f"{back.hour}:{back.minute:02d} {self._zone_label()}"
        days = (back.date() - local.date()).days
        if days == 0:
            return f"today at {clock}"
        if days == 1:
            return f"tomorrow at {clock}"
        return f"on {back:%A} {back.day} {back:%B} at {clock}"

    def _zone_label(self) -> str:
        # the shop's customers may write from abroad
        return "UK time" if self.zone.key == "Europe/London" else f"{self.zone.key} time"
