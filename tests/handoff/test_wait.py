"""What a customer waiting for a person is told about the wait (handoff/wait.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from handoff.sla import SlaPolicy
from handoff.tickets import TicketStore
from handoff.wait import expected_wait_minutes, wait_news, wait_phrase
from ground.settings import Settings
from actions.company_db import company_sessions


def test_the_estimate_never_passes_the_promise():
    assert expected_wait_minutes(0, [], 60) == 60
    assert expected_wait_minutes(0, [4, 6, 5], 60) == 5
    assert expected_wait_minutes(30, [20, 20], 60) == 60
    assert [wait_phrase(m) for m in (1, 20, 60, 120)] == [
        "a couple of minutes", "about 20 minutes", "within the hour", "about 2 hours"]


def test_while_the_team_is_away_the_news_is_when_it_is_back(database_url):
    tickets = TicketStore(company_sessions(), SlaPolicy.from_settings(Settings.from_env({})))
    shop = replace(Settings.from_env({}), support_hours="mon-fri 08:00-20:00, sat 09:00-17:00")
    # Saturday 5 December 2026
    assert wait_news(tickets, 1, shop, datetime(2026, 12, 5, 6, 30)).reopens == "today at 9:00 UK time"
    at_work = wait_news(tickets, 1, shop, datetime(2026, 12, 5, 10, 0))
    assert at_work.reopens is None and at_work.wait == "within the hour"  # no history: the promise
    # five minutes before closing, the estimate (the promise: an hour) runs past it
    closing = wait_news(tickets, 1, shop, datetime(2026, 12, 4, 19, 55))
    assert (closing.closes, closing.reopens, closing.wait) == ("20:00 UK time", "tomorrow at 9:00 UK time", None)
    always = replace(shop, support_hours="always")
    assert wait_news(tickets, 1, always, datetime(2026, 12, 6, 3, 0)).wait == "within the hour"
