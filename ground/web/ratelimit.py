"""Request rate limits: a sliding one-minute window per key (a conversation, an address).

`RateLimiter` keeps the window in the gateway process, which is right for one process.
Several gateway processes (REDIS_URL set) share theirs in Redis (`RedisRateLimiter`), so a
limit holds however the load balancer spreads the requests; `rate_limiter` picks one.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections import deque
from typing import Callable, Deque, Dict, Optional, Protocol

from redis.asyncio import Redis
from redis.exceptions import RedisError

from ground.web.errors import ApiError

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 60.0
REDIS_PREFIX = "caredesk:rate:"


class Limiter(Protocol):
    async def take(self, key: str) -> int:
        """Counts one request for `key`: 0 when allowed, else the whole seconds to wait
        before the next one is (a refused request is not counted)."""


async def limited(limiter: Limiter, key: str) -> None:
    """Counts one request for `key`; 429 with Retry-After when it is over the limit."""
    wait = await limiter.take(key)
    if wait:
        raise ApiError(429, "too_many_requests", "too many requests; please slow down",
                       headers={"Retry-After": str(wait)})


def rate_limiter(redis: Optional[Redis], name: str, per_minute: int) -> Limiter:
    """In Redis when the gateway has one (several gateways), else in this process. `name`
    keeps the limiters' keys apart in Redis."""
    if redis is None:
        return RateLimiter(per_minute)
    return RedisRateLimiter(redis, name, per_minute)


class RateLimiter:
    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self._limit = per_minute
        self._clock = clock
        self._hits: Dict[str, Deque[float]] = {}

    async def take(self, key: str) -> int:
        return 0 if self.allow(key) else self.retry_after(key)

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


# One request against the window of KEYS[1] (a sorted set of request times in ms, on Redis's
# clock, so that the gateways' clocks do not matter): forget the times that left the window,
# then count this one if there is room (0), or answer the ms until there is. Atomic.
_TAKE = """
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) * 1000 + math.floor(tonumber(now_parts[2]) / 1000)
local limit, window = tonumber(ARGV[1]), tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= limit then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return math.max(1, tonumber(oldest[2]) + window - now)
end
redis.call('ZADD', KEYS[1], now, now .. ':' .. ARGV[3])
redis.call('PEXPIRE', KEYS[1], window)
return 0
"""


class RedisRateLimiter:
    """The same window, shared by every gateway process through Redis. While Redis does not
    answer, this process counts alone (logged once per outage) rather than refusing all."""

    def __init__(self, redis: Redis, name: str, per_minute: int,
                 prefix: str = REDIS_PREFIX) -> None:
        self._redis = redis
        self._script = redis.register_script(_TAKE)
        self._prefix = f"{prefix}{name}:"
        self._limit = per_minute
        self._fallback = RateLimiter(per_minute)
        self._failing = False

    async def take(self, key: str) -> int:
        try:
            wait_ms = await self._script(
                keys=[self._prefix + key],
                args=[self._limit, int(WINDOW_SECONDS * 1000), secrets.token_hex(8)])
        except (RedisError, OSError) as error:
            if not self._failing:
                self._failing = True
                logger.warning("rate limits: Redis does not answer (%s); counting in this "
                               "process until it does", error)
            return await self._fallback.take(key)
        if self._failing:
            self._failing = False
            logger.info("rate limits: counting in Redis again")
        return 0 if not wait_ms else int(wait_ms) // 1000 + 1
