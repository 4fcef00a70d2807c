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
from typing import Dict, List, Optional, Sequence, Tuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ground.bank_holidays import bank_holidays

ALWAYS = "always"
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_GROUP = re.compile(r"^(?P<first>[a-z]{3})(?:-(?P<last>[a-z]{3}))?\s+(?P<open>\d{1,2}:\d{2})-(?P<close>\d{1,2}:\d{2})$")


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

    def hours_on(self, day: date) -> Optional[str]:
        """When the team is at work on `day` (local), "8:00–20:00 UK time"; None on a day it
        is away (a day off, a bank holiday)."""
        span = self._span(day)
        if span is None:
            return None
        return f"{_span_clock(*span)} {self._zone_label()}"

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

    def after_working_time(self, start: datetime, span: timedelta) -> datetime:
        """The (naive UTC) moment `span` of the team's working time after `start` has passed:
        an hour asked at 19:30 on a Friday ends at 8:30 on Monday."""
        moment, remaining = start, span
        for _ in range(400):
            opening = self.reopens(moment)
            day = self._span(opening.date())
            closing = datetime.combine(opening.date(), day[1], tzinfo=self.zone) if day else opening
            if opening + remaining <= closing:
                return _naive_utc(opening + remaining)
            remaining -= closing - opening
            moment = _naive_utc(closing)
        raise ValueError("the support team is never at work long enough")

    def closes_before(self, moment: datetime, later: datetime) -> Optional[str]:
        """The closing time ("20:00 UK time") when the team, at work at `moment`, leaves before
        `later` (both naive UTC); None when it is still at work then."""
        return None if self.is_open(later) else self.closing_time(moment)

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

    def closing_time(self, moment: datetime) -> Optional[str]:
        """When the team, at work at the (naive UTC) moment, leaves today ("20:00 UK time");
        None when it is away."""
        if not self.is_open(moment):
            return None
        local = moment.replace(tzinfo=timezone.utc).astimezone(self.zone)
        span = self._span(local.date())
        return f"{span[1].hour}:{span[1].minute:02d} {self._zone_label()}" if span else None

    def _runs(self) -> List[Tuple[int, int, str]]:
        """Consecutive days with the same hours: (first, last, "8:00–20:00"), Monday first."""
        runs: List[Tuple[int, int, str]] = []
        for day in sorted(self.spans):
            opening, closing = self.spans[day]
            clock = _span_clock(opening, closing)
            if runs and runs[-1][1] == day - 1 and runs[-1][2] == clock:
                runs[-1] = (runs[-1][0], day, clock)
            else:
                runs.append((day, day, clock))
        return runs

    def brief(self) -> str:
        """The hours in a bracket after a phone number: "Mon–Fri 8:00–20:00, Sat 9:00–17:00"."""
        return ", ".join(
            f"{_DAYS[first].title()}{'' if first == last else '–' + _DAYS[last].title()} {clock}"
            for first, last, clock in self._runs())

    def schedule(self) -> str:
        """The hours in a sentence: "Monday to Friday 8:00–20:00 and Saturday 9:00–17:00 (UK
        time), and closed on Sundays and bank holidays"."""
        spans = [f"{_DAY_NAMES[first]}{'' if first == last else ' to ' + _DAY_NAMES[last]} {clock}"
                 for first, last, clock in self._runs()]
        closed = [f"{_DAY_NAMES[day]}s" for day in range(7) if day not in self.spans] + ["bank holidays"]
        return f"{_and(spans)} ({self._zone_label()}), and closed on {_and(closed)}"

    def _zone_label(self) -> str:
        # the shop's customers may write from abroad
        return "UK time" if self.zone.key == "Europe/London" else f"{self.zone.key} time"


def _span_clock(opening: time, closing: time) -> str:
    """"8:00–20:00"."""
    return f"{opening.hour}:{opening.minute:02d}–{closing.hour}:{closing.minute:02d}"


def _naive_utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


def _and(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def reply_hours(spec: str, zone_name: str) -> Dict[str, str]:
    """The team's hours for the domain's replies: `team_hours` in a bracket after the phone
    number, `team_schedule` in a sentence. One setting says them, so that the assistant, the
    queue and the agents' suggested replies agree (they had been written into seven replies)."""
    return hours_phrases(TeamHours.parse(spec, zone_name))


def hours_phrases(hours: Optional[TeamHours]) -> Dict[str, str]:
    """`reply_hours` of hours already read (None: around the clock)."""
    if hours is None:
        return {"team_hours": "at any time", "team_schedule": "around the clock, every day of the year"}
    return {"team_hours": hours.brief(), "team_schedule": hours.schedule()}
