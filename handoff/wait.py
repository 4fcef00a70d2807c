"""How long a customer can expect to wait for a person, said honestly and simply.

The estimate is the median time recent tickets of the same tier waited to be claimed,
scaled by the tickets already waiting there, and never beyond the first-response promise.
Without history it is the promise itself ("within the hour"). While the team is away
(handoff/team_hours.py) there is no estimate: the customer is told when it is back. Both
the handoff's announcement and the answer to "how long?" in the queue come from `wait_news`.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from statistics import median
from typing import Sequence

from conversations.queue_waiting import WaitNews
from ground.settings import Settings
from handoff.team_hours import TeamHours
from handoff.tickets import TicketStore


def wait_news(tickets: TicketStore, tier: int, settings: Settings, now: datetime) -> WaitNews:
    """What a customer waiting (or about to wait) in `tier` is told about the wait."""
    hours = TeamHours.parse(settings.support_hours, settings.support_timezone)
    if hours is not None and not hours.is_open(now):
        return WaitNews(reopens=hours.reopening_phrase(now))
    waiting, recent = tickets.queue_snapshot(tier)
    # the customer's own ticket is among those waiting
    minutes = expected_wait_minutes(max(0, waiting - 1), recent, settings.first_response_minutes)
    over = now + timedelta(minutes=minutes)
    closes = hours.closes_before(now, over) if hours is not None else None
    if hours is not None and closes is not None:
        # at 19:55 on a Friday "within the hour" was promised for a team that leaves at 20:00
        return WaitNews(closes=closes, reopens=hours.reopening_phrase(over))
    return WaitNews(wait=wait_phrase(minutes))


def expected_wait_minutes(waiting_ahead: int, recent_waits: Sequence[float], promise: float) -> int:
    if not recent_waits:
        return int(promise)
    typical = max(1.0, median(recent_waits))
    return int(min(promise, round(typical * (1 + waiting_ahead / 3))))


def wait_phrase(minutes: int) -> str:
    if minutes <= 2:
        return "a couple of minutes"
    if minutes < 55:
        return f"about {minutes} minutes"
    if minutes <= 60:
        return "within the hour"
    return f"about {round(minutes / 60)} hours"
