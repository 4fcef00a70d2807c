"""The replies offered to an agent for a ticket (handoff/suggestions.py): the canned ones
that suit its reasons, and the assistant's answers to the topics the customer asked."""

from handoff.escalation import Reason
from handoff.suggestions import canned_responses, suggestions
from handoff.team_hours import reply_hours

HOURS = reply_hours("mon-sat 09:00-18:00", "Europe/London")


def titles(reasons, intents=()):
    return [s["title"] for s in suggestions(reasons, list(intents), HOURS)]


def test_a_warranty_claim_is_offered_the_warranty_reply_and_not_the_billing_one():
    offered = titles([Reason.WARRANTY_CLAIM])
    assert "Warranty claim" in offered and "Greeting" in offered
    assert "Billing dispute" not in offered
    assert "Warranty claim" not in titles([Reason.BILLING])


def test_every_canned_reply_names_reasons_that_exist():
    for item in canned_responses():
        assert set(item.get("reasons") or ()) <= set(Reason.ORDER), item["title"]


def test_the_bots_answers_are_offered_with_the_teams_hours_filled_in():
    offered = {s["title"]: s["text"] for s in suggestions([], [{"intent": "ask_opening_hours"},
                                                              {"intent": "ask_contact_channels"},
                                                              {"intent": "ask_shipping"}], HOURS)}
    assert "Monday to Saturday 9:00–18:00 (UK time)" in offered["Bot answer: ask opening hours"]
    assert "0117 496 0000 (Mon–Sat 9:00–18:00)" in offered["Bot answer: ask contact channels"]
    # the delivery overview needs the conversation's facts: not offered with braces in it
    assert "Bot answer: ask shipping" not in offered
    assert not any("{" in text for text in offered.values())


def test_the_reply_for_the_most_urgent_reason_comes_first():
    """A staff run: on a crisis ticket the crisis reply was third, after "Greeting"."""
    offered = titles([Reason.CRISIS, Reason.REQUESTED])
    crisis = next(t for t in offered if "risis" in t)
    assert offered[0] == crisis and offered.index("Greeting") > 0, offered
    assert titles([Reason.REQUESTED])[0] == "Greeting"
