"""The payment methods, or the section of "Paying for your order" asked about
(actions/payment_methods.py), with the real help articles."""

from __future__ import annotations

import pytest

from actions.payment_methods import ActionPaymentMethods
from tests.conftest import make_tracker


@pytest.mark.parametrize("text, section", [
    # a customer run: the list of methods, which says nothing about a credit check
    ("does klarna do a credit check?", "Paying in three with Klarna"),
    ("what happens if I miss a klarna payment", "Paying in three with Klarna"),
    ("is it safe to pay with my card on your site", "Keeping your payment safe"),
    ("when will my card be charged", "When you are charged"),
    # the methods themselves: the list
    ("can I pay with klarna", None), ("do you take amex?", None), ("what payment methods do you accept", None),
])
async def test_a_question_about_paying_gets_its_section(text, section, domain, make_dispatcher) -> None:
    tracker = make_tracker(text=text, intent="ask_payment_methods", domain=domain)
    dispatcher = make_dispatcher(tracker)
    await ActionPaymentMethods().run(dispatcher, tracker, domain)
    if section is None:
        assert dispatcher.responses() == ["utter_payment_methods"]
        return
    assert dispatcher.responses() == ["utter_help_article", "utter_ask_help_article_helped"]
    assert dispatcher.messages[0]["help_section"] == section and dispatcher.messages[0]["help_slug"] == "paying"
