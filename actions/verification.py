"""Decides whether the customer in this conversation has proved an order is theirs.

Nothing about an order is revealed or changed unless its number is the one in the
conversation and the customer matched the order's email or delivery postcode. Failed
checks are counted per conversation; after `MAX_FAILED_CHECKS` the assistant stops trying,
so that it cannot be used to guess other people's details.
"""

from __future__ import annotations

from typing import Any, Dict, Optional

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.orm import Session

from actions.conversation import slot_text
from company.orders import find_order
from company.models import Order

MAX_FAILED_CHECKS = 3
VERIFIED = "ok"
LOCKED = "failed"


def verified_order(tracker: Tracker, session: Session) -> Optional[Order]:
    """The conversation's order if, and only if, the customer has been verified for it."""
    if tracker.get_slot("order_verifier") != VERIFIED:
        return None
    order = find_order(session, slot_text(tracker.get_slot("order_number")))
    if order is None or order.number != tracker.get_slot("verified_order"):
        return None
    return order


def failed_checks(tracker: Tracker) -> int:
    return int(tracker.get_slot("verification_failures") or 0)


def is_locked(tracker: Tracker) -> bool:
    return failed_checks(tracker) >= MAX_FAILED_CHECKS


def record_failed_check(
    tracker: Tracker, dispatcher: CollectingDispatcher, retry_response: str
) -> Dict[str, Any]:
    """Counts a failed identity check and tells the customer what happens next.

    Returns the slot updates: the failure count, and `locked=True` when checks must stop.
    """
    failures = failed_checks(tracker) + 1
    if failures >= MAX_FAILED_CHECKS:
        dispatcher.utter_message(response="utter_verification_locked")
        return {"verification_failures": float(failures), "locked": True}
    dispatcher.utter_message(response=retry_response)
    return {"verification_failures": float(failures), "locked": False}
