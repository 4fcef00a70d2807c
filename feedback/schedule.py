"""When the aftercare messages after a resolved case go out: the days after the resolution and
the quiet hours. Read from the settings (AFTERCARE_DAYS, AFTERCARE_QUIET_HOURS, AFTERCARE_TIMEZONE)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import List, Optional, Tuple

from feedback.models import AftercareKind
from feedback.quiet_hours import QuietHours
from ground.settings import Settings


@dataclass(frozen=True)
class AftercareSchedule:
    """When each aftercare message goes out, in days after the resolution, and when never."""

    solved_check_days: int = 3
    tips_days: int = 7
    last_days: int = 30
    quiet: Optional[QuietHours] = None

    @classmethod
    def parse(cls, days: str, quiet_hours: str, zone: str) -> "AftercareSchedule":
        """From the settings: "3,7,30", "21:00-08:00", "Europe/London"."""
        try:
            values = [int(part) for part in days.split(",")]
        except ValueError:
            values = []
        if len(values) != 3 or not 0 < values[0] < values[1] < values[2]:
            raise ValueError(
                f"aftercare days must be three increasing numbers like 3,7,30, got {days!r}")
        return cls(*values, quiet=QuietHours.parse(quiet_hours, zone))

    @classmethod
    def from_settings(cls, settings: Settings) -> "AftercareSchedule":
        """The schedule the settings describe; a bad setting raises RuntimeError naming the keys."""
        try:
            return cls.parse(settings.aftercare_days, settings.aftercare_quiet_hours,
                             settings.aftercare_timezone)
        except ValueError as error:
            raise RuntimeError(
                f"AFTERCARE_DAYS, AFTERCARE_QUIET_HOURS or AFTERCARE_TIMEZONE: {error}") from error

    def steps(self, vip: bool) -> List[Tuple[str, int]]:
        last = AftercareKind.CHECK_IN if vip else AftercareKind.NPS
        return [(AftercareKind.SOLVED_CHECK, self.solved_check_days),
                (AftercareKind.USAGE_TIPS, self.tips_days), (last, self.last_days)]

    def allowed(self, moment: datetime) -> datetime:
        """`moment`, or the end of the quiet hours it falls in."""
        return self.quiet.next_allowed(moment) if self.quiet else moment

    def is_quiet(self, moment: datetime) -> bool:
        return self.quiet.contains(moment) if self.quiet else False
