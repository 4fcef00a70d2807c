"""A continuation of the last lookup answered at once, through the running product and its
trained model (bot/policies/follow_ups.py, handoff/follow_ups.py)."""

from __future__ import annotations

from tests.product import CustomerClient, RunningProcess


def test_what_about_another_country_gets_its_delivery_costs(product: RunningProcess) -> None:
    """'what about france?' after the delivery costs to Germany was offered as a button, and
    'and spain' got "Sorry, I didn't quite get that" (a customer run)."""
    customer = CustomerClient(product.gateway_url)
    assert "To Germany" in customer.say("how much is delivery to germany")
    assert "To Spain" in customer.say("and spain")
    assert "To France" in customer.say("what about france?")
    # understood, though out of scope to the model: a miss after it is the first, not the
    # second in a row that hands over
    customer.say("blorp wibble")
    assert customer.transcript()["state"] == "bot"


def test_a_country_alone_without_a_lookup_before_is_not_answered_as_one(product: RunningProcess) -> None:
    customer = CustomerClient(product.gateway_url)
    assert "To France" not in customer.say("and france")
