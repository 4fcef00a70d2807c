"""How long a customer can expect to wait for a person, said honestly and simply.

The estimate is the median time recent tickets of the same tier waited to be claimed,
scaled by the tickets already waiting there, and never beyond the first-response promise.
Without history it is the promise itself ("within the hour").
"""

from __future__ import annotations

from statistics import median
from typing import Sequence


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
