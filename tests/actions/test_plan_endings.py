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
