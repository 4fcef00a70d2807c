"""The service-level clocks (handoff/sla.py): the first response is an hour of the team's
working time, the resolution 72 hours around the clock."""

from __future__ import annotations

from datetime import datetime, timedelta

from ground.settings import Settings
from handoff.sla import SlaPolicy

# the default hours: mon-fri 08:00-20:00, sat 09:00-17:00, UK time (GMT in December)
POLICY = SlaPolicy.from_settings(Settings.from_env({}))


def test_a_ticket_opened_while_the_team_is_away_is_due_an_hour_after_it_is_back() -> None:
    """A customer run: a ticket opened at 05:51 on a Sunday was due at 06:51, and every
    overnight ticket counted as a missed first response on Monday."""
    opened = datetime(2026, 12, 6, 5, 51)  # Sunday
    first, resolution = POLICY.due_times(opened)
    assert first == datetime(2026, 12, 7, 9, 0)  # Monday 08:00 + 1 h
    assert resolution == opened + timedelta(hours=72)


def test_the_hour_runs_only_while_the_team_is_at_work() -> None:
    assert POLICY.due_times(datetime(2026, 12, 7, 10, 0))[0] == datetime(2026, 12, 7, 11, 0)
    # Friday 19:30: half an hour on Friday, the rest from Saturday's 09:00
    assert POLICY.due_times(datetime(2026, 12, 4, 19, 30))[0] == datetime(2026, 12, 5, 9, 30)
    # in summer the hours are UK time, an hour ahead of UTC: Monday 07:00 UTC is 08:00 there
    assert POLICY.due_times(datetime(2026, 6, 15, 6, 0))[0] == datetime(2026, 6, 15, 8, 0)


def test_a_team_at_work_around_the_clock_counts_every_hour() -> None:
    always = SlaPolicy.from_settings(Settings.from_env({"SUPPORT_HOURS": "always"}))
    assert always.due_times(datetime(2026, 12, 6, 5, 51))[0] == datetime(2026, 12, 6, 6, 51)
