"""What the customer is told when a person closes their case (handoff/closing.py)."""

from conversations.service import HANDOFF_CLOSED, HANDOFF_CLOSED_QUIETLY, HANDOFF_RESOLVED
from handoff.closing import closing_payload
from handoff.escalation import Reason


def test_a_solved_case_is_resolved_and_rated() -> None:
    assert closing_payload([Reason.REQUESTED], "solved") == HANDOFF_RESOLVED
    assert closing_payload([Reason.COMPLAINT], "workaround") == HANDOFF_RESOLVED


def test_a_case_not_put_right_is_not_called_resolved() -> None:
    """A customer run: "please call us on Monday", closed as not solved, was told the case was
    marked as resolved."""
    assert closing_payload([Reason.REQUESTED], "not_solved") == HANDOFF_CLOSED
    assert closing_payload([Reason.BILLING], "no_response") == HANDOFF_CLOSED


def test_a_crisis_or_a_loss_is_closed_quietly_whatever_the_outcome() -> None:
    """A customer run: a customer in crisis, checked on and safe, was asked to rate the help."""
    for outcome in ("solved", "not_solved", "no_response"):
        assert closing_payload([Reason.CRISIS, Reason.REQUESTED], outcome) == HANDOFF_CLOSED_QUIETLY
        assert closing_payload([Reason.BEREAVEMENT], outcome) == HANDOFF_CLOSED_QUIETLY
