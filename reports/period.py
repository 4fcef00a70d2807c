"""The date range a report covers: whole UTC days, both ends included.

`from=2026-11-01&to=2026-11-30` means every moment from 1 November 00:00 up to (not
including) 1 December 00:00, naive UTC like every stored time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Optional

MAX_DAYS = 366


class PeriodError(ValueError):
    """A date range a report cannot cover; the message says why, for the caller."""


@dataclass(frozen=True)
class Period:
    first: date
    last: date

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time())

    @property
    def end(self) -> datetime:
        """The first moment after the range (exclusive bound)."""
        return datetime.combine(self.last + timedelta(days=1), time())

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @classmethod
    def parse(cls, first: Optional[str], last: Optional[str]) -> "Period":
        """A checked range from two YYYY-MM-DD strings."""
        start, end = _day("from", first), _day("to", last)
        if start > end:
            raise PeriodError(f"from ({start}) is after to ({end})")
        period = cls(start, end)
        if period.days > MAX_DAYS:
            raise PeriodError(f"the range covers {period.days} days; at most {MAX_DAYS} days are allowed")
        return period

    @classmethod
    def last_days(cls, today: date, days: int = 30) -> "Period":
        return cls(today - timedelta(days=days - 1), today)


def _day(name: str, raw: Optional[str]) -> date:
    if not raw:
        raise PeriodError(f"{name} is required, as YYYY-MM-DD")
    try:
        if len(raw) != 10:
            raise ValueError
        return date.fromisoformat(raw)
    except ValueError:
        raise PeriodError(f"{name} must be a date as YYYY-MM-DD, got {raw[:20]!r}") from None
