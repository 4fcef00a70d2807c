"""What the customer is told when a person closes their case, by its reasons and outcome.

Every closed case was "marked as resolved", with a 1-5 rating asked and the day-7 tips and
day-30 recommendation survey scheduled: a customer in crisis, checked on and safe, was asked
to rate the help and later sent a "quick tip"; a case closed as not solved ("please call us
on Monday") was told it was resolved (a customer run). A crisis or a bereavement is closed
quietly, with no rating and no aftercare; a case not solved, or closed with no answer from
the customer, is closed without calling it resolved.
"""

from __future__ import annotations

from typing import Iterable

from conversations.service import HANDOFF_CLOSED, HANDOFF_CLOSED_QUIETLY, HANDOFF_RESOLVED
from handoff.escalation import QUIET_REASONS

# closed, but not put right: not called resolved
UNRESOLVED_OUTCOMES = frozenset({"not_solved", "no_response"})


def is_quiet(reasons: Iterable[str]) -> bool:
    return bool(QUIET_REASONS & set(reasons))


def put_right(outcome: object) -> bool:
    """Whether a ticket's stored outcome ({"outcome": ...}) says the case was put right (no
    outcome yet counts as put right: the schedule is written as the ticket closes)."""
    told = outcome.get("outcome") if isinstance(outcome, dict) else None
    return told not in UNRESOLVED_OUTCOMES


def closing_payload(reasons: Iterable[str], outcome: str) -> str:
    """The message the gateway sends the assistant when the case is closed."""
    if is_quiet(reasons):
        return HANDOFF_CLOSED_QUIETLY
    return HANDOFF_CLOSED if outcome in UNRESOLVED_OUTCOMES else HANDOFF_RESOLVED
