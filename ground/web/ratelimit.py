"""Request rate limits: a sliding one-minute window per key (a conversation, an address).

Kept in the gateway process (app context), which is right for one process; several
gateway processes would share Redis for this.
"""

from __future__ import annotations

import time
from collections import deque
from typing import Callable, Deque, Dict

from ground.web.errors import ApiError

WINDOW_SECONDS = 60.0


def limited(limiter: "RateLimiter", key: str) -> None:
    """Counts one request for `key`; 429 with Retry-After when it is over the limit."""
    if not limiter.allow(key):
        raise ApiError(429, "too_many_requests", "too many requests; please slow down",
                       headers={"Retry-After": str(limiter.retry_after(key))})


class RateLimiter:
    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self._limit = per_minute
        self._clock = clock
        self._hits: Dict[str, Deque[float]] = {}

    def allow(self, key: str) -> bool:
        """Counts one request for `key`; False when it is over the limit."""
        now = self._clock()
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - WINDOW_SECONDS:
            hits.popleft()
        if len(hits) >= self._limit:
            return False
        hits.append(now)
        if len(self._hits) > 10_000:
            self._forget_idle(now)
        return True

    def retry_after(self, key: str) -> int:
        hits = self._hits.get(key)
        if not hits:
            return 0
        return max(1, int(hits[0] + WINDOW_SECONDS - self._clock()) + 1)

    def _forget_idle(self, now: float) -> None:
        for key in [k for k, hits in self._hits.items() if not hits or hits[-1] <= now - WINDOW_SECONDS]:
            del self._hits[key]
