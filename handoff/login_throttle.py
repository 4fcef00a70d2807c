"""Staff login throttling: growing delays per (user name, client address).

Guessing a password is slowed where the guesses come from: after a few failed logins for
one user from one address, each further try from that address must wait, twice as long
each time (up to `max_delay`). The same user logging in from any other address is not
slowed at all, so nobody can lock a colleague out of the console by failing on purpose. A
successful login clears the count. (How many logins one address may try per minute, for
any user names, is the separate per-address rate limit.)

Kept in the gateway process (`LoginThrottle`), like the other rate limits; several gateway
processes (REDIS_URL set) keep the counts in Redis (`RedisLoginThrottle`), so that spreading
the guesses over the gateways gains nothing.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from dataclasses import dataclass
from typing import Callable, Dict, Optional, Tuple, Union

from redis.asyncio import Redis
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

FREE_FAILURES = 5
BASE_DELAY_SECONDS = 1.0
MAX_DELAY_SECONDS = 15 * 60.0
MAX_TRACKED = 10_000


@dataclass
class _Failures:
    count: int
    last: float


class LoginThrottle:
    def __init__(self, free_failures: int = FREE_FAILURES, base_delay: float = BASE_DELAY_SECONDS,
                 max_delay: float = MAX_DELAY_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._free = free_failures
        self._base = base_delay
        self._max = max_delay
        self._clock = clock
        self._failures: Dict[Tuple[str, str], _Failures] = {}

    @staticmethod
    def _key(username: str, address: str) -> Tuple[str, str]:
        return username.strip().lower(), address

    def delay_after(self, failures: int) -> float:
        """Seconds to wait after `failures` failed logins in a row."""
        if failures < self._free:
            return 0.0
        return min(self._max, self._base * 2 ** (failures - self._free))

    async def wait(self, username: str, address: str) -> int:
        """Whole seconds before `username` may try again from `address` (0: now)."""
        found = self._failures.get(self._key(username, address))
        if found is None:
            return 0
        remaining = found.last + self.delay_after(found.count) - self._clock()
        return max(0, math.ceil(remaining))

    async def failed(self, username: str, address: str) -> None:
        now = self._clock()
        key = self._key(username, address)
        found = self._failures.get(key)
        if found is None:
            if len(self._failures) >= MAX_TRACKED:
                self._forget_idle(now)
            self._failures[key] = _Failures(1, now)
        else:
            found.count += 1
            found.last = now

    async def succeeded(self, username: str, address: str) -> None:
        self._failures.pop(self._key(username, address), None)

    def _forget_idle(self, now: float) -> None:
        for key in [k for k, f in self._failures.items() if now - f.last > 2 * self._max]:
            del self._failures[key]


# one more failure for KEYS[1]: the count and its time (ms, on Redis's clock); the entry is
# forgotten after twice the longest delay without a failure
_FAILED = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('HINCRBY', KEYS[1], 'count', 1)
redis.call('HSET', KEYS[1], 'last', now)
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return now
"""
# the count, the time of the last failure and now (ms), for KEYS[1]
_STATE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local found = redis.call('HMGET', KEYS[1], 'count', 'last')
return {found[1] or 0, found[2] or 0, now}
"""


class RedisLoginThrottle:
    """The same delays, counted in Redis for every gateway process (keys are hashes of the
    user name and address). While Redis does not answer, this process counts alone."""

    def __init__(self, redis: Redis, prefix: str = "caredesk:login:",
                 base_delay: float = BASE_DELAY_SECONDS) -> None:
        self._redis = redis
        self._prefix = prefix
        self._policy = LoginThrottle(base_delay=base_delay)
        self._fallback = LoginThrottle(base_delay=base_delay)
        self._failed_script = redis.register_script(_FAILED)
        self._state_script = redis.register_script(_STATE)
        self._failing = False

    def _key(self, username: str, address: str) -> str:
        user, where = LoginThrottle._key(username, address)
        return self._prefix + hashlib.sha256(f"{user}\n{where}".encode()).hexdigest()

    async def wait(self, username: str, address: str) -> int:
        try:
            count, last, now = await self._state_script(keys=[self._key(username, address)])
        except (RedisError, OSError) as error:
            self._trouble(error)
            return await self._fallback.wait(username, address)
        self._fine()
        if not int(count):
            return 0
        remaining = int(last) / 1000 + self._policy.delay_after(int(count)) - int(now) / 1000
        return max(0, math.ceil(remaining))

    async def failed(self, username: str, address: str) -> None:
        try:
            await self._failed_script(keys=[self._key(username, address)],
                                      args=[int(2 * MAX_DELAY_SECONDS * 1000)])
        except (RedisError, OSError) as error:
            self._trouble(error)
            await self._fallback.failed(username, address)

    async def succeeded(self, username: str, address: str) -> None:
        try:
            await self._redis.delete(self._key(username, address))
        except (RedisError, OSError) as error:
            self._trouble(error)
        await self._fallback.succeeded(username, address)

    def _trouble(self, error: Exception) -> None:
        if not self._failing:
            self._failing = True
            logger.warning("login throttle: Redis does not answer (%s); counting in this "
                           "process until it does", error)

    def _fine(self) -> None:
        if self._failing:
            self._failing = False
            logger.info("login throttle: counting in Redis again")


def login_throttle(redis: Optional[Redis], base_delay: float = BASE_DELAY_SECONDS
                   ) -> Union[LoginThrottle, RedisLoginThrottle]:
    """In Redis when the gateway has one (several gateways), else in this process."""
    if redis is None:
        return LoginThrottle(base_delay=base_delay)
    return RedisLoginThrottle(redis, base_delay=base_delay)
