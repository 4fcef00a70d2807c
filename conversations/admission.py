"""Admission control for turns to the assistant: at most `max_in_flight` at once, the rest
wait in order of arrival.

Rasa on two cores answers fastest when it is not given everything at once; a turn that
waits here is not a failure (nobody is handed to a person because of load), but a long
wait is told to the customer once, with an estimate from how long recent turns took.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from contextlib import asynccontextmanager
from typing import AsyncIterator, Awaitable, Callable, Deque, Optional

# the guess for a turn's length before any turn has been measured
TYPICAL_TURN_SECONDS = 2.0
# weight of the newest turn in the running average of turn lengths
NEWEST_WEIGHT = 0.2

LongWait = Callable[[float], Awaitable[None]]


class Admission:
    """A first-come, first-served gate of `max_in_flight` places."""

    def __init__(self, max_in_flight: int,
                 typical_turn_seconds: float = TYPICAL_TURN_SECONDS) -> None:
        if max_in_flight < 1:
            raise ValueError("max_in_flight must be at least 1")
        self._limit = max_in_flight
        self._in_flight = 0
        self._waiting: Deque["asyncio.Future[None]"] = deque()
        self._turn_seconds = typical_turn_seconds

    @property
    def in_flight(self) -> int:
        return self._in_flight

    @property
    def waiting(self) -> int:
        return len(self._waiting)

    def expected_wait(self, position: int) -> float:
        """Seconds until the turn at `position` of the queue (0 = next) is let in: each
        round of `max_in_flight` turns ahead of it takes about one average turn."""
        return (position // self._limit + 1) * self._turn_seconds

    @asynccontextmanager
    async def turn(self, long_wait: Optional[LongWait] = None,
                   tell_after: float = math.inf) -> AsyncIterator[None]:
        """Holds a place for the body. A turn expected (or found) to wait longer than
        `tell_after` seconds calls `long_wait` with the expected wait, once."""
        await self._enter(long_wait, tell_after)
        started = time.monotonic()
        try:
            yield
        finally:
            self._measured(time.monotonic() - started)
            self._leave()

    async def _enter(self, long_wait: Optional[LongWait], tell_after: float) -> None:
        if self._in_flight < self._limit and not self._waiting:
            self._in_flight += 1
            return
        place: "asyncio.Future[None]" = asyncio.get_running_loop().create_future()
        self._waiting.append(place)
        try:
            if long_wait is not None:
                expected = self.expected_wait(len(self._waiting) - 1)
                if expected <= tell_after:
                    done, _ = await asyncio.wait({place}, timeout=tell_after)
                    expected = 0.0 if done else self._still_expected(place)
                if expected > 0:
                    await long_wait(expected)
            await place
        except BaseException:  # cancelled, or the long-wait notice failed
            if place.done() and not place.cancelled():
                self._leave()  # the place was ours already: hand it on
            elif place in self._waiting:
                self._waiting.remove(place)
            raise

    def _still_expected(self, place: "asyncio.Future[None]") -> float:
        return self.expected_wait(self._waiting.index(place)) if place in self._waiting else 0.0

    def _leave(self) -> None:
        """Hands the place to the longest-waiting turn, or frees it."""
        while self._waiting:
            place = self._waiting.popleft()
            if not place.done():
                place.set_result(None)
                return
        self._in_flight -= 1

    def _measured(self, seconds: float) -> None:
        self._turn_seconds += NEWEST_WEIGHT * (seconds - self._turn_seconds)
