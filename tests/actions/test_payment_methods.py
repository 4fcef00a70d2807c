"""The payment methods, or the section of "Paying for your order" asked about
(actions/payment_methods.py), with the real help articles."""

from __future__ import annotations

import pytest

from actions.fallback import ActionClarify
from actions.payment_methods import ActionPaymentMethods, ActionPaymentProblem, amount_below_klarna
from company import policies
from tests.conftest import make_tracker, user_said


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


@pytest.mark.parametrize("text, before, answer", [
    # a customer run: the payment methods
    ("do i pay the difference straight away", "utter_plan_change", "utter_plan_change_payment"),
    ("when do i pay for the upgrade", "utter_plan_change", "utter_plan_change_payment"),
    # not right after how a plan changes, or not about its payment: the methods
    ("do i pay the difference straight away", "utter_plans", "utter_payment_methods"),
    ("can i pay with paypal", "utter_plan_change", "utter_payment_methods"),
])
async def test_paying_for_a_plan_change_asked_after_it(text, before, answer, domain, make_dispatcher) -> None:
    said = {"event": "bot", "text": "...", "metadata": {"utter_action": before}}
    tracker = make_tracker(text=text, intent="ask_payment_methods", domain=domain,
                           events=[user_said("can i upgrade from essential to plus", "ask_plans"), said,
                                   user_said(text, "ask_payment_methods")])
    dispatcher = make_dispatcher(tracker)
    await ActionPaymentMethods().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == [answer]


@pytest.mark.parametrize("text, pence", [
    ("why cant i pick klarna at checkout? basket is 25 quid", 2500),
    ("klarna isnt an option at checkout, my order is £24.50", 2450),
    ("can i pay in 3 for a 30 pound order", 3000),
    ("klarna for my £45 order?", None),
    ("my order is £20 and my card was declined", None),
    ("why no klarna option?", None),
])
def test_an_amount_klarna_is_not_offered_on(text, pence) -> None:
    assert amount_below_klarna(text) == pence


@pytest.mark.parametrize("action, intent", [(ActionPaymentProblem, "payment_problem"),
                                            (ActionPaymentMethods, "ask_payment_methods"),
                                            (ActionClarify, "nlu_fallback")])
async def test_klarna_asked_for_an_amount_under_its_minimum_is_told_why(action, intent, domain,
                                                                        make_dispatcher) -> None:
    """A customer run: "why cant i pick klarna at checkout? basket is 25 quid" (a payment
    problem, 0.80) got the card issuers' reasons for a failed payment."""
    text = "why cant i pick klarna at checkout? basket is 25 quid"
    tracker = make_tracker(text=text, intent=intent, domain=domain)
    dispatcher = make_dispatcher(tracker)
    await action().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_klarna_minimum"]
    assert dispatcher.messages[0]["amount"] == "£25" and dispatcher.messages[0]["minimum"] == "£30"


async def test_a_payment_problem_without_klarna_gets_the_checkout_causes(domain, make_dispatcher) -> None:
    tracker = make_tracker(text="my card keeps getting declined at checkout", intent="payment_problem",
                           domain=domain)
    dispatcher = make_dispatcher(tracker)
    await ActionPaymentProblem().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_payment_problem"]


async def test_a_payment_problem_about_klarna_gets_the_klarna_section(domain, make_dispatcher) -> None:
    """A customer run: "i paid with klarna tho, does that change anything?" after a
    cancellation (payment_problem, 0.77) got the card issuers' reasons for a failed payment."""
    tracker = make_tracker(text="i paid with klarna tho, does that change anything?", intent="payment_problem",
                           domain=domain)
    dispatcher = make_dispatcher(tracker)
    await ActionPaymentProblem().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_help_article", "utter_ask_help_article_helped"]
    assert dispatcher.messages[0]["help_section"] == "Paying in three with Klarna"


def test_klarna_splits_an_amount_in_three_the_odd_pennies_first() -> None:
    assert policies.klarna_instalments(24900) == (8300, 8300, 8300)
    assert policies.klarna_instalments(8999) == (3001, 2999, 2999)
    assert sum(policies.klarna_instalments(12345)) == 12345


@pytest.mark.parametrize("action, intent", [(ActionClarify, "nlu_fallback"),
                                            (ActionPaymentMethods, "ask_payment_methods")])
async def test_each_payment_of_the_product_talked_about_is_worked_out(action, intent, database_url, domain,
                                                                      make_dispatcher) -> None:
    """A customer run: "so how much would each payment be?" after the Atlas Office Chair's price
    and the ways to pay fell back, and its button gave the ways to pay again."""
    # the first message answered in two parts (bot/channels/second_requests.py): the chair, then
    # the ways to pay, the topic just before the question
    earlier = [user_said("thinking of getting the office chair", "ask_product"),
               user_said("can i pay in instalments", "ask_payment_methods")]
    text = "so how much would each payment be?"
    tracker = make_tracker({"product": "Atlas Office Chair"}, text=text, intent=intent,
                           events=[*earlier, user_said(text, intent)], domain=domain)
    dispatcher = make_dispatcher(tracker)
    await action().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_klarna_instalments"]
    message = dispatcher.messages[0]
    assert (message["product"], message["price"], message["first"], message["later"]) == \
        ("Atlas Office Chair", "£249", "£83", "£83")
