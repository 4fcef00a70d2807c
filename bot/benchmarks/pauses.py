"""How long a benchmark customer reads the last answer and types the next message.

Each pause is drawn uniformly between `low` and `high` seconds from a generator seeded by
the schedule's seed and the conversation's number, so the same run sends the same load
every time, and conversations do not move in step. A pause also comes before the first
message (the customer typing it), which spreads the conversations' starts.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import List

# reading an answer and typing the next message (issue 17: "a few seconds")
LOW_SECONDS = 2.0
HIGH_SECONDS = 6.0


@dataclass(frozen=True)
class PauseSchedule:
    """Seeded pauses between `low` and `high` seconds; `high` 0 is the no-pause load."""

    seed: int = 17
    low: float = LOW_SECONDS
    high: float = HIGH_SECONDS

    def __post_init__(self) -> None:
        if not 0 <= self.low <= self.high:
            raise ValueError(f"pauses need 0 <= low <= high, not {self.low}..{self.high}")

    @property
    def paused(self) -> bool:
        return self.high > 0

    def pauses(self, conversation: int, messages: int) -> List[float]:
        """The pause before each of the conversation's `messages` messages, in seconds."""
        if not self.paused:
            return [0.0] * messages
        draw = random.Random(f"{self.seed}/{conversation}")
        return [draw.uniform(self.low, self.high) for _ in range(messages)]

    def label(self) -> str:
        if not self.paused:
            return "no pause"
        return f"{self.low:g}-{self.high:g} s pause"


NO_PAUSE = PauseSchedule(low=0.0, high=0.0)
