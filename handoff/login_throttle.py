"""Staff login throttling: growing delays per (user name, client address).

Guessing a password is slowed where the guesses come from: after a few failed logins for
one user from one address, each further try from that address must wait, twice as long
each time (up to `max_delay`). The same user logging in from any other address is not
slowed at all, so nobody can lock a colleague out of the console by failing on purpose. A
successful login clears the count. (How many logins one address may try per minute, for
any user names, is the separate per-address rate limit.)

Kept in the gateway process, like the other rate limits.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Callable, Dict, Tuple

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

    def wait(self, username: str, address: str) -> int:
        """Whole seconds before `username` may try again from `address` (0: now)."""
        found = self._failures.get(self._key(username, address))
        if found is None:
            return 0
        remaining = found.last + self.delay_after(found.count) - self._clock()
        return max(0, math.ceil(remaining))

    def failed(self, username: str, address: str) -> None:
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

    def succeeded(self, username: str, address: str) -> None:
        self._failures.pop(self._key(username, address), None)

    def _forget_idle(self, now: float) -> None:
        for key in [k for k, f in self._failures.items() if now - f.last > 2 * self._max]:
            del self._failures[key]
