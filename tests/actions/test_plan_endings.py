"""Whether a customer asks to end a Harbor Club plan (actions/plan_endings.py)."""

import pytest

from actions.plan_endings import ends_a_plan, names_a_plan_to_end


@pytest.mark.parametrize("text, named, about_the_plans", [
    ("ok how do i cancel plus", True, True), ("I want to cancel my Harbor Club membership", True, True),
    ("cancel the premium plan", True, True), ("put my membership on hold", True, True),
    # "it" is the plan only after the plans were answered
    ("how do i cancel it", False, True),
    # ... and so is cancelling whenever (a customer run: an order number was asked for)
    ("and can i cancel anytime", False, True), ("can I cancel at any time?", False, True),
    ("can i cancel my order before it ships", False, False),
    # orders, and a trial's end, are no plan ended
    ("cancel my order plus the delivery charge", False, False), ("cancel my premium order", False, False),
    ("cancel order HG-100102 please", False, False), ("what happens at the end of my trial", False, False),
    ("cancel my newsletter subscription", False, False),
    ("unsubscribe me from the club", True, True), ("unsubscribe me from the newsletter", False, False),
])
def test_a_plan_ended_in_words(text, named, about_the_plans):
    assert names_a_plan_to_end(text) is named
    assert ends_a_plan(text) is about_the_plans


async def test_money_asked_soon_after_how_a_plan_ends_is_the_month_paid_for(database_url, domain, make_dispatcher):
    """A customer run: "I want to cancel my Harbor Club Premium membership", then "i paid on
    the 1st" got why card payments fail, and "do i get the rest of this month back though?"
    the returns policy."""
    from actions.payment_methods import ActionPaymentProblem
    from actions.returns import ActionReturnPolicy
    from tests.conftest import bot_said, make_tracker, user_said

    ended = [user_said("I want to cancel my Harbor Club Premium membership", "ask_plans"),
             bot_said("utter_plan_cancel", 1.0)]

    async def answered(action, events, text, intent):
        tracker = make_tracker(text=text, intent=intent, domain=domain, events=[*events, user_said(text, intent)])
        dispatcher = make_dispatcher(tracker)
        await action.run(dispatcher, tracker, domain)
        return dispatcher.responses()

    paid = [*ended, user_said("i paid on the 1st", "payment_problem"), bot_said("utter_payment_problem", 2.0)]
    assert await answered(ActionPaymentProblem(), ended, "i paid on the 1st", "payment_problem") == [
        "utter_plan_cancel_money"]
    assert await answered(ActionReturnPolicy(), paid, "do i get the rest of this month back though?",
                          "ask_return_policy") == ["utter_plan_cancel_money"]
    # an order named, no money asked, no plan ending before, or the ending three messages back
    assert await answered(ActionPaymentProblem(), ended, "i paid for order HG-100001 twice",
                          "payment_problem") == ["utter_payment_problem"]
    assert await answered(ActionReturnPolicy(), ended, "can i return the lamp i bought",
                          "ask_return_policy") == ["utter_return_policy"]
    # (a review: money words alone are no plan's month)
    assert await answered(ActionReturnPolicy(), ended, "do i get my money back if i return the toaster?",
                          "ask_return_policy") == ["utter_return_policy"]
    assert await answered(ActionPaymentProblem(), ended, "my card was declined when i tried to pay",
                          "payment_problem") == ["utter_payment_problem"]
    assert await answered(ActionPaymentProblem(), [], "i paid on the 1st", "payment_problem") == [
        "utter_payment_problem"]
    later = [*paid, user_said("ok thanks", "thanks"), bot_said("utter_youre_welcome", 3.0)]
    assert await answered(ActionReturnPolicy(), later, "do i get the rest of this month back though?",
                          "ask_return_policy") == ["utter_return_policy"]


@pytest.mark.parametrize("text, asks", [
    ("if i cancel plus do i lose the extra warranty year on stuff i already bought?", True),
    ("if i cancel my membership do i keep free delivery on orders i placed?", True),
    # a review: a complaint about charges goes on, no question of what is kept
    ("i cancelled my membership but you keep charging me", False), ("do i lose my order if i cancel it", False),
])
def test_what_ending_a_plan_keeps_in_words(text, asks):
    from actions.plan_endings import asks_what_a_plan_ending_keeps

    assert asks_what_a_plan_ending_keeps(text) is asks
