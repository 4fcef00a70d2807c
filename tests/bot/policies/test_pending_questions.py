"""A frequent question where a yes or no is awaited is answered and the question asked again
(bot/policies/pending_questions.py): the policy on trackers, then the running product."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered

from bot.policies.pending_questions import PendingQuestionPolicy
from tests.bot.policies.written_predictions import predicted
from tests.product import CustomerClient, RunningProcess


def _predicted(tmp_path: Path, domain: Domain, events: List[Event]) -> Optional[str]:
    return predicted(PendingQuestionPolicy, tmp_path, domain, events)


def _after(asked: str, slot: Optional[str], text: str, intent: str) -> List[Event]:
    standing = [SlotSet(slot, True)] if slot else []
    return [ActionExecuted(asked), *standing, ActionExecuted("action_listen"),
            UserUttered(text, {"name": intent, "confidence": 0.9})]


def test_a_question_at_the_cancellation_is_answered_then_it_is_asked_again(tmp_path: Path,
                                                                           rasa_domain: Domain) -> None:
    """A customer run: the delivery cost was the answer, the cancellation dropped, and the
    "yes" after it not understood."""
    said = _after("action_check_cancellation", "cancel_allowed", "yes please. also how much is delivery to ireland",
                  "ask_shipping")
    assert _predicted(tmp_path, rasa_domain, said) == "action_shipping_info"
    answered = said + [ActionExecuted("action_shipping_info")]
    assert _predicted(tmp_path, rasa_domain, answered) == "action_check_cancellation"
    asked = answered + [ActionExecuted("action_check_cancellation")]
    assert _predicted(tmp_path, rasa_domain, asked) == "action_listen"


@pytest.mark.parametrize("asked, slot, intent, then", [
    ("action_cancel_reply", "cancel_allowed", "ask_opening_hours", "action_opening_hours"),
    ("action_check_return", "warranty_claim_offered", "ask_opening_hours", "action_opening_hours"),
    ("utter_ask_confirm_close_account", None, "ask_payment_methods", "utter_payment_methods"),
])
def test_other_awaited_replies(tmp_path: Path, rasa_domain: Domain, asked, slot, intent, then) -> None:
    assert _predicted(tmp_path, rasa_domain, _after(asked, slot, "a question", intent)) == then


@pytest.mark.parametrize("asked, slot, intent", [
    ("action_check_cancellation", "cancel_allowed", "affirm"),        # the reply itself
    ("action_check_cancellation", None, "ask_shipping"),              # no cancellation offered
    ("action_check_return", "warranty_claim_offered", "ask_warranty"),  # its own rules read it
    ("utter_ask_confirm_close_account", None, "ask_plans"),            # "what happens to my club?"
    ("action_order_status", None, "ask_shipping"),                     # nothing awaited
])
def test_left_to_the_rules(tmp_path: Path, rasa_domain: Domain, asked, slot, intent) -> None:
    assert _predicted(tmp_path, rasa_domain, _after(asked, slot, "a question", intent)) is None


def test_the_cancellation_waits_for_its_own_yes(product: RunningProcess) -> None:
    """Through the running product: the question is answered, the cancellation asked again,
    and the order cancelled only on the yes to it."""
    from sqlalchemy import select

    from company import policies
    from company.models import Order
    from ground.database import session_factory
    from tests.gateway.test_api import _order_status

    with session_factory(product.env["DATABASE_URL"])() as session:
        # the last cancellable order of a customer who is no VIP (the other tests take the first)
        order = next(o for o in session.execute(select(Order).order_by(Order.number.desc())).scalars()
                     if policies.cancellation_decision(o).allowed and not o.customer.is_vip)
        number, postcode = order.number, order.ship_postcode
    customer = CustomerClient(product.gateway_url)
    assert "email address" in customer.say(f"please cancel my order {number}")
    assert "Are you sure you want to cancel" in customer.say(postcode)
    both = customer.say("yes please. also what are your opening hours?")
    assert "Our support team is available" in both and "Are you sure you want to cancel" in both, both
    assert _order_status(product.env["DATABASE_URL"], number) != "cancelled"
    assert "is cancelled" in customer.say("yes")
    assert _order_status(product.env["DATABASE_URL"], number) == "cancelled"
