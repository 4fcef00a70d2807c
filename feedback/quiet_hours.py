"""Quiet hours: when no aftercare message may reach a customer, in the company's local time.

Times in the database are naive UTC; the window ("21:00-08:00") is local wall-clock time
in a zoneinfo timezone, so it follows daylight saving. A window may wrap past midnight.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from typing import Optional
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

OFF = frozenset({"", "off", "none"})


@dataclass(frozen=True)
class QuietHours:
    start: time
    end: time
    zone: ZoneInfo

    @classmethod
    def parse(cls, spec: str, zone_name: str) -> Optional["QuietHours"]:
        """"HH:MM-HH:MM" in `zone_name`; "off" (or empty) means no quiet hours."""
        if spec.strip().lower() in OFF:
            return None
        try:
            zone = ZoneInfo(zone_name)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown timezone {zone_name!r}") from error
        try:
            start, end = (time.fromisoformat(part.strip()) for part in spec.split("-"))
        except ValueError as error:
            raise ValueError(f"quiet hours must look like 21:00-08:00, got {spec!r}") from error
        if start == end:
            raise ValueError(f"quiet hours {spec!r} start and end at the same time")
        return cls(start, end, zone)

    def _local(self, moment: datetime) -> datetime:
        return moment.replace(tzinfo=timezone.utc).astimezone(self.zone)

    def contains(self, moment: datetime) -> bool:
        """Whether the (naive UTC) moment falls inside the quiet window."""
        clock = self._local(moment).time()
        if self.start < self.end:
            return self.start <= clock < self.end
        return clock >= self.start or clock < self.end

    def next_allowed(self, moment: datetime) -> datetime:
        """The moment itself outside quiet hours, else the (naive UTC) end of the window."""
        if not self.contains(moment):
            return moment
        local = self._local(moment)
        day = local.date()
        if self.start > self.end and local.time() >= self.start:
            day += timedelta(days=1)  # the window wraps past midnight: it ends tomorrow
        end = datetime.combine(day, self.end, tzinfo=self.zone)
        return end.astimezone(timezone.utc).replace(tzinfo=None)
