"""Days a customer names in their own words (ground/calendar_days.py)."""

from __future__ import annotations

from datetime import date

import pytest

from ground.calendar_days import day_named, day_spans, days_named

SUNDAY = date(2026, 12, 6)


@pytest.mark.parametrize("text, day", [
    ("by saturday", date(2026, 12, 12)),
    ("before fri", date(2026, 12, 11)),
    ("on Monday", date(2026, 12, 7)),
    ("sunday", SUNDAY),  # today is that day
    ("tomorrow", date(2026, 12, 7)),
    ("this weekend", date(2026, 12, 12)),
    ("for christmas", date(2026, 12, 25)),
    ("by christmas eve", date(2026, 12, 24)),
    ("by the 12th", date(2026, 12, 12)),
    ("by the 3rd", date(2027, 1, 3)),  # this month's has passed
    ("by 12 december", date(2026, 12, 12)),
    ("by 2 january", date(2027, 1, 2)),
    # no day: "sun" alone is the sun, and a weekday inside another word is none
    ("sitting in the sun", None), ("wedding presents", None), ("what's the status", None),
])
def test_the_day_a_message_names(text: str, day: date) -> None:
    assert day_named(text, SUNDAY) == day


def test_every_day_a_message_names() -> None:
    # a customer run: "r u open xmas eve n boxing day" got the week's hours alone
    assert days_named("r u open xmas eve n boxing day", SUNDAY) == [date(2026, 12, 24), date(2026, 12, 26)]
    assert days_named("monday or tuesday, or monday again", SUNDAY) == [date(2026, 12, 7), date(2026, 12, 8)]
    assert days_named("new year's eve and new year's day", SUNDAY) == [date(2026, 12, 31), date(2027, 1, 1)]
    assert days_named("when are you open", SUNDAY) == []


def test_where_a_message_names_its_days() -> None:
    text = "and Xmas Eve or sat, or 2 January?"
    assert [text[start:end] for start, end in day_spans(text)] == ["Xmas", "Xmas Eve", "sat", "2 January"]
    assert day_spans("when are you open") == []
