"""The replies offered to an agent for a ticket (handoff/suggestions.py): the canned ones
that suit its reasons, and the assistant's answers to the topics the customer asked."""

from handoff.escalation import Reason
from handoff.suggestions import canned_responses, suggestions


def titles(reasons, intents=()):
    return [s["title"] for s in suggestions(reasons, list(intents))]


def test_a_warranty_claim_is_offered_the_warranty_reply_and_not_the_billing_one():
    offered = titles([Reason.WARRANTY_CLAIM])
    assert "Warranty claim" in offered and "Greeting" in offered
    assert "Billing dispute" not in offered
    assert "Warranty claim" not in titles([Reason.BILLING])


def test_every_canned_reply_names_reasons_that_exist():
    for item in canned_responses():
        assert set(item.get("reasons") or ()) <= set(Reason.ORDER), item["title"]
