"""When the supervisor starts a crashed child process again: exponential back-off.

The first restart waits `first_seconds`, each further one twice as long, up to
`longest_seconds`, so a child that keeps crashing costs little CPU and fills the log slowly.
Once a child has served for `stable_seconds` (counted from when it was ready), its crash is
a new incident and the wait starts from `first_seconds` again. The clock is a parameter so
that tests can move time by hand.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable, Optional

FIRST_SECONDS = 1.0
LONGEST_SECONDS = 30.0
STABLE_SECONDS = 60.0


@dataclass
class RestartPolicy:
    """The back-off of one child process."""

    first_seconds: float = FIRST_SECONDS
    longest_seconds: float = LONGEST_SECONDS
    stable_seconds: float = STABLE_SECONDS
    clock: Callable[[], float] = time.monotonic
    restarts: int = 0  # restarts so far, for the log
    _in_a_row: int = field(default=0, repr=False)  # crashes without a stable run between
    _ready_at: Optional[float] = field(default=None, repr=False)

    def ready(self) -> None:
        """The child answers (at start-up or after a restart)."""
        self._ready_at = self.clock()

    def stopped(self) -> float:
        """The child stopped unexpectedly: the seconds to wait before starting it again."""
        if self._ready_at is not None and self.clock() - self._ready_at >= self.stable_seconds:
            self._in_a_row = 0
        self._ready_at = None
        delay = min(self.longest_seconds, self.first_seconds * 2 ** self._in_a_row)
        self._in_a_row += 1
        self.restarts += 1
        return delay
