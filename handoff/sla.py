"""The service-level clocks: first human response and resolution, from the handoff on.

Due times are stored on the ticket when it is created (configurable; 1 hour and 72 hours
by default), so a restart or a change of settings never moves a promise already made. The
first response is an hour of the team's working time (`SUPPORT_HOURS`): a ticket opened at
05:51 on a Sunday was due at 06:51, so every overnight ticket showed as late on Monday and
the service report counted it a miss, hiding the tickets that really were late (a customer
run). The resolution's 72 hours are the customer's, and run around the clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Dict, Optional

from ground.settings import Settings
from handoff.team_hours import TeamHours


@dataclass(frozen=True)
class SlaPolicy:
    first_response: timedelta = timedelta(hours=1)
    resolution: timedelta = timedelta(hours=72)
    # when the team is at work; None: around the clock
    hours: Optional[TeamHours] = None

    @classmethod
    def from_settings(cls, settings: Settings) -> "SlaPolicy":
        return cls(timedelta(minutes=settings.first_response_minutes),
                   timedelta(hours=settings.resolution_hours),
                   TeamHours.parse(settings.support_hours, settings.support_timezone))

    def due_times(self, start: datetime) -> tuple[datetime, datetime]:
        first = (start + self.first_response if self.hours is None
                 else self.hours.after_working_time(start, self.first_response))
        return first, start + self.resolution


def _iso(moment: Optional[datetime]) -> Optional[str]:
    return moment.isoformat() + "Z" if moment else None


def breached(due: datetime, done_at: Optional[datetime], now: datetime) -> bool:
    """Late: done after the due time, or not done and the due time has passed."""
    return (done_at or now) > due


def sla_status(
    first_response_due: datetime,
    resolution_due: datetime,
    first_response_at: Optional[datetime],
    resolved_at: Optional[datetime],
    now: datetime,
    withdrawn_at: Optional[datetime] = None,
) -> Dict[str, Any]:
    """The clocks of one ticket. A customer who left the queue before anyone answered stops
    the first-response clock: late only if they had waited past its due time."""
    return {
        "first_response_due": _iso(first_response_due),
        "resolution_due": _iso(resolution_due),
        "first_response_at": _iso(first_response_at),
        "resolved_at": _iso(resolved_at),
        "first_response_breached": breached(first_response_due, first_response_at or withdrawn_at,
                                            now),
        "resolution_breached": breached(resolution_due, resolved_at, now),
    }
