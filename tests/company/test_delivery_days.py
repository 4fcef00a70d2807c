"""When an order is asked to arrive by (company/delivery_days.py)."""

from __future__ import annotations

from datetime import date

import pytest

from company.delivery_days import arrival_deadline

SUNDAY = date(2026, 12, 6)


@pytest.mark.parametrize("text, deadline", [
    # a customer run: the status alone was said, twice
    ("ordered lamps for my mums birthday which is on saturday, HG-100001, will they get here in time?? "
     "im panicking a bit", date(2026, 12, 12)),
    ("ok but will it arrive by saturday or not?", date(2026, 12, 12)),
    ("will it come tomorrow", date(2026, 12, 7)),
    ("can it be here for christmas", date(2026, 12, 25)),
    ("I need it before friday", date(2026, 12, 11)),
    # the day after "before" is the deadline, not the day named first
    ("so wednesday is before friday right? so it will be there in time?", date(2026, 12, 11)),
    ("will it arrive by friday tho? i need it for a party", date(2026, 12, 11)),
    # a later run: fell back, then a person; the day the event is on is the deadline
    ("wednesday?! his birthday is TUESDAY. can you upgrade it to express or send another one?", date(2026, 12, 8)),
    ("the wedding's saturday, will it arrive", date(2026, 12, 12)),
    # no arrival asked about, or the day is when it was ordered or has come
    ("where is HG-100001", None),
    ("it arrived on monday and it's broken", None),
    ("I ordered on friday, when will it arrive?", None),
    ("is the shop open on saturday", None),
    # a day the customer is out is no deadline (a customer run: "So it should be there in time for
    # Wednesday 9 December", and the neighbour question was never answered)
    ("hiya, whens HG-100002 arriving? postcode LS6 2QT. i wont be home wed, can the courier leave it with a "
     "neighbour?", None),
    ("whens it arriving? i won't be home on wednesday", None),
    ("will it get here by friday, I am not home on saturday", date(2026, 12, 11)),
])
def test_the_day_an_order_is_asked_to_arrive_by(text: str, deadline: date) -> None:
    assert arrival_deadline(text, SUNDAY) == deadline


@pytest.mark.parametrize("text, deadline", [
    # a customer run: how to place an order
    ("when do i need to order by to get it before christmas", date(2026, 12, 25)),
    ("whats the last day to order for christmas delivery", date(2026, 12, 25)),
    ("what's the last order date for delivery by friday", date(2026, 12, 11)),
    # no last day asked, or no day named
    ("will my order arrive before christmas", None), ("when do i need to order by", None),
])
def test_the_last_day_to_order_is_asked_for_a_day(text, deadline) -> None:
    from company.delivery_days import last_order_deadline

    assert last_order_deadline(text, date(2026, 12, 7)) == deadline
