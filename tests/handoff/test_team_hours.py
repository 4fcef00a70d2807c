"""When the support team is at work, and when it is back (handoff/team_hours.py)."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
import yaml

from ground.envfile import PROJECT_ROOT
from handoff.team_hours import TeamHours, reply_hours

SHOP = "mon-fri 08:00-20:00, sat 09:00-17:00"


def _hours() -> TeamHours:
    hours = TeamHours.parse(SHOP, "Europe/London")
    assert hours is not None
    return hours


@pytest.mark.parametrize("moment, open_, phrase", [
    # a customer handed over at 06:30 on a Saturday was promised a person "within the hour"
    (datetime(2026, 12, 5, 6, 30), False, "today at 9:00 UK time"),
    (datetime(2026, 12, 5, 10, 0), True, None),
    (datetime(2026, 12, 5, 17, 30), False, "on Monday 7 December at 8:00 UK time"),
    (datetime(2026, 12, 6, 12, 0), False, "tomorrow at 8:00 UK time"),
    (datetime(2026, 12, 4, 19, 59), True, None),
    (datetime(2026, 12, 4, 20, 0), False, "tomorrow at 9:00 UK time"),
    # Christmas Day (Friday) and the Boxing Day substitute (Monday 28th) are closed
    (datetime(2026, 12, 24, 21, 0), False, "on Saturday 26 December at 9:00 UK time"),
    (datetime(2026, 12, 26, 18, 0), False, "on Tuesday 29 December at 8:00 UK time"),
    # summer time: 07:30 UTC is 08:30 in London in July, but 07:30 in December
    (datetime(2026, 7, 1, 7, 30), True, None),
    (datetime(2026, 12, 1, 7, 30), False, "today at 8:00 UK time"),
])
def test_open_or_when_back(moment, open_, phrase):
    hours = _hours()
    assert hours.is_open(moment) is open_
    if phrase is not None:
        assert hours.reopening_phrase(moment) == phrase


def test_the_closing_time_when_the_team_leaves_before_the_wait_is_over():
    # a review: at 19:55 on a Friday "within the hour" was promised to a team leaving at 20:00
    hours = _hours()
    friday = datetime(2026, 12, 4, 19, 55)
    assert hours.closes_before(friday, datetime(2026, 12, 4, 20, 55)) == "20:00 UK time"
    assert hours.closes_before(friday, datetime(2026, 12, 4, 19, 58)) is None
    assert hours.closes_before(datetime(2026, 12, 4, 21, 0), datetime(2026, 12, 4, 22, 0)) is None  # closed


def test_a_team_at_work_once_a_week_is_found_past_the_holidays():
    # a review: Fridays only, asked on 19 December 2026 (Christmas and New Year both Fridays)
    # raised "closed for more than two weeks" inside the handoff
    hours = TeamHours.parse("fri 09:00-10:00", "Europe/London")
    assert hours.reopening_phrase(datetime(2026, 12, 19, 12, 0)) == "on Friday 8 January at 9:00 UK time"


def test_always_is_no_hours_at_all():
    assert TeamHours.parse(" Always ", "Europe/London") is None


@pytest.mark.parametrize("spec, zone", [
    ("mon-fri 8-20", "Europe/London"), ("weekdays 08:00-20:00", "Europe/London"),
    ("mon 20:00-08:00", "Europe/London"), ("fri-mon 08:00-20:00", "Europe/London"),
    ("mon 25:00-26:00", "Europe/London"), ("", "Europe/London"), (SHOP, "Mars/Base"),
])
def test_hours_that_cannot_be_read_are_refused_clearly(spec, zone):
    with pytest.raises(ValueError):
        TeamHours.parse(spec, zone)


def test_the_replies_say_the_hours_the_setting_gives():
    """The phone line's hours were written into seven replies, so a shop that set other hours
    had the assistant contradict its own queue."""
    assert reply_hours(SHOP, "Europe/London") == {
        "team_hours": "Mon–Fri 8:00–20:00, Sat 9:00–17:00",
        "team_schedule": "Monday to Friday 8:00–20:00 and Saturday 9:00–17:00 (UK time), "
                         "and closed on Sundays and bank holidays"}
    assert reply_hours("mon 09:00-17:00, wed-sat 09:00-17:00", "Europe/Paris") == {
        "team_hours": "Mon 9:00–17:00, Wed–Sat 9:00–17:00",
        "team_schedule": "Monday 9:00–17:00 and Wednesday to Saturday 9:00–17:00 (Europe/Paris time), "
                         "and closed on Tuesdays, Sundays and bank holidays"}
    assert reply_hours("always", "Europe/London") == {
        "team_hours": "at any time", "team_schedule": "around the clock, every day of the year"}


def test_no_reply_writes_the_hours_itself():
    clock_range = re.compile(r"\d{1,2}[:.]\d{2}\s*[–-]\s*\d{1,2}[:.]\d{2}|\b(?:mon|tue|wed|thu|fri|sat|sun)\w*\s*[–-]",
                             re.IGNORECASE)
    for path in sorted((PROJECT_ROOT / "domain").glob("*.yml")):
        for name, variations in (yaml.safe_load(path.read_text(encoding="utf-8")).get("responses") or {}).items():
            for variation in variations:
                assert not clock_range.search(variation.get("text", "")), (path.name, name)
