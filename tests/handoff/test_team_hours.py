"""When the support team is at work, and when it is back (handoff/team_hours.py)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from handoff.team_hours import TeamHours, bank_holidays

SHOP = "mon-fri 08:00-20:00, sat 09:00-17:00"


def _hours() -> TeamHours:
    hours = TeamHours.parse(SHOP, "Europe/London")
    assert hours is not None
    return hours


def test_the_bank_holidays_of_england_and_wales_with_their_substitutes():
    assert bank_holidays(2026) == {date(2026, 1, 1), date(2026, 4, 3), date(2026, 4, 6), date(2026, 5, 4),
                                   date(2026, 5, 25), date(2026, 8, 31), date(2026, 12, 25), date(2026, 12, 28)}
    # Christmas on a Saturday: Monday and Tuesday; New Year on a Friday stays
    assert bank_holidays(2027) == {date(2027, 1, 1), date(2027, 3, 26), date(2027, 3, 29), date(2027, 5, 3),
                                   date(2027, 5, 31), date(2027, 8, 30), date(2027, 12, 27), date(2027, 12, 28)}
    # New Year on a Sunday: Monday
    assert date(2023, 1, 2) in bank_holidays(2023) and date(2023, 1, 1) not in bank_holidays(2023)


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
