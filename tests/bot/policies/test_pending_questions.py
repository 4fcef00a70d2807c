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
    ("utter_ask_confirm_close_account", None, "ask_payment_methods", "action_payment_methods"),
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


@pytest.mark.parametrize("text, intent, then", [
    # a customer run: read as an order question, the closing question was asked again
    ("hmm no not yet. i'll wait till the order arrives", "order_status", "utter_close_account_declined"),
    ("not now, maybe later", "nlu_fallback", "utter_close_account_declined"),
    # a question is answered by the rules, the deny intent too; a yes is no no
    ("wait what happens to my order that's still on its way if i do that", "order_status", None),
    ("no", "deny", None), ("yes please", "affirm", None),
])
def test_a_no_in_words_to_closing_the_account_keeps_it(tmp_path: Path, rasa_domain: Domain, text, intent,
                                                          then) -> None:
    said = _after("utter_ask_confirm_close_account", None, text, intent)
    assert _predicted(tmp_path, rasa_domain, said) == then
    if then is not None:
        assert _predicted(tmp_path, rasa_domain, said + [ActionExecuted(then)]) == "action_listen"


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


def _hesitating(asked: str, slot: Optional[str], text: str) -> List[Event]:
    standing = [SlotSet(slot, True)] if slot else []
    parse = {"intent": {"name": "nlu_fallback", "confidence": 0.5}, "entities": [], "hesitant": True}
    return [ActionExecuted(asked), *standing, ActionExecuted("action_listen"),
            UserUttered(text, parse["intent"], [], parse_data=parse)]


@pytest.mark.parametrize("asked, slot", [("utter_needs_sheet", None), ("action_check_cancellation", "cancel_allowed"),
                                         ("utter_ask_confirm_close_account", None)])
def test_a_hesitation_gets_the_question_again(tmp_path: Path, rasa_domain: Domain, asked: str, slot) -> None:
    """A customer run: "hmm" to the 5W1H sheet got "Could you tell me in a few words what you
    need?", and the interview was lost (4 of 4)."""
    said = _hesitating(asked, slot, "hmm")
    assert _predicted(tmp_path, rasa_domain, said) == asked
    assert _predicted(tmp_path, rasa_domain, said + [ActionExecuted(asked)]) == "action_listen"
    # a "hmm" that is no hesitation to the NLU is left to the others
    plain = _after(asked, slot, "hmm", "nlu_fallback")
    assert _predicted(tmp_path, rasa_domain, plain) is None


def test_a_hesitation_at_the_sheet_keeps_the_interview_in_the_running_product(product: RunningProcess) -> None:
    customer = CustomerClient(product.gateway_url)
    customer.say("we need 200 custom branded mugs for our company event")
    for answer in ("for the event gifts", "by 15 January", "our office in Leeds", "our 50 staff", "skip"):
        sheet = customer.say(answer)
        if "Is that all correct?" in sheet:
            break
    assert "Is that all correct?" in sheet, sheet
    again = customer.say("hmm")
    assert "200 custom branded mugs" in again and "in a few words" not in again, again
    assert "REQ-" in customer.say("yes")
