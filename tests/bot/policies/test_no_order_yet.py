"""No order yet, said where the order lookup asks for the number (bot/policies/no_order_yet.py,
actions/no_order_yet.py): the policy on trackers, the words, then the running product."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, Event, SlotSet, UserUttered

from actions.no_order_yet import requirement_reference, says_not_ordered_yet
from bot.policies.no_order_yet import NoOrderYetPolicy
from tests.bot.policies.written_predictions import predicted
from tests.product import CustomerClient, RunningProcess


def _in_form(text: str, asked: str = "order_number", entities=None, loop: str = "order_form") -> List[Event]:
    return [ActionExecuted(loop), ActiveLoop(loop), SlotSet("requested_slot", asked),
            ActionExecuted("action_listen"),
            UserUttered(text, {"name": "order_status", "confidence": 0.9}, entities or [])]


def _predicted(tmp_path: Path, domain: Domain, events: List[Event]) -> Optional[str]:
    return predicted(NoOrderYetPolicy, tmp_path, domain, events)


def test_no_order_yet_ends_the_lookup_where_the_number_is_asked(tmp_path: Path, rasa_domain: Domain) -> None:
    assert _predicted(tmp_path, rasa_domain, _in_form("i havent ordered yet")) == "action_no_order_yet"
    # the proof asked, a number given, or another form: the form's to read
    assert _predicted(tmp_path, rasa_domain, _in_form("i havent ordered yet", asked="order_verifier")) is None
    named = _in_form("i haven't ordered HG-100002 yet", entities=[{"entity": "order_number", "value": "HG-100002"}])
    assert _predicted(tmp_path, rasa_domain, named) is None
    assert _predicted(tmp_path, rasa_domain, _in_form("i havent ordered yet", loop="address_form")) is None


def _starting(text: str, intent: str = "order_status") -> List[Event]:
    return [ActionExecuted("action_listen"), UserUttered(text, {"name": intent, "confidence": 0.9}, [])]


def test_no_order_yet_keeps_the_lookup_from_starting(tmp_path: Path, rasa_domain: Domain) -> None:
    """A customer run: "I haven't ordered yet - do you deliver to Australia?" was asked for
    the order number, then "what about Canada" was "not one of our order numbers"."""
    started = _starting("I haven't ordered yet - do you deliver to Australia?")
    assert _predicted(tmp_path, rasa_domain, started) == "action_no_order_yet"
    # another topic's request is left alone
    assert _predicted(tmp_path, rasa_domain, _starting("havent ordered yet, do u take paypal", "ask_payment_methods")) is None
    assert _predicted(tmp_path, rasa_domain, _starting("where is my order")) is None


def test_a_requirements_reference_is_no_order_number(tmp_path: Path, rasa_domain: Domain) -> None:
    """A customer run: "ref REQ-00015, any news?" was asked for an order number."""
    said = "hi i sent you a business request yesterday, ref REQ-00015, any news?"
    assert _predicted(tmp_path, rasa_domain, _starting(said)) == "action_requirement_reference"
    assert _predicted(tmp_path, rasa_domain, _in_form("its not an order, its REQ-00015")) == \
        "action_requirement_reference"
    assert requirement_reference("req 15 please") == "REQ-00015" and requirement_reference("HG-100002") is None


def test_a_requirements_reference_outside_a_form_starts_no_new_sheet(tmp_path: Path, rasa_domain: Domain) -> None:
    """A customer run: "can I add something to my request REQ-00015? we also want 250 matching
    coasters" started a new 5W1H interview, and filed a second sheet. Inside another form the
    reference is left to it."""
    said = "can I add something to my request REQ-00015? we also want 250 matching coasters"
    assert _predicted(tmp_path, rasa_domain, _starting(said, "describe_need")) == "action_requirement_reference"
    assert _predicted(tmp_path, rasa_domain, _starting("we want 250 coasters", "describe_need")) is None
    assert _predicted(tmp_path, rasa_domain, _in_form(said, asked="what", loop="needs_form")) is None


@pytest.mark.parametrize("text, not_yet", [
    ("i havent ordered yet", True), ("I haven't placed an order", True), ("no order yet, just asking", True),
    ("i didnt order it yet", True), ("before i order i want to know", True),
    ("if I order today will it come by friday", True), ("thinking of buying one", True),
    # an order the customer did not place is a dispute, not a question before ordering
    ("i never ordered this but you charged my card", False),
    ("i haven't ordered anything and a parcel arrived", False),
    ("it hasnt arrived yet", False), ("HG-100002", False), ("i dont know the number", False),
])
def test_saying_there_is_no_order_yet(text: str, not_yet: bool) -> None:
    assert says_not_ordered_yet(text) is not_yet


def test_no_order_yet_gets_the_delivery_times_not_the_number_again(product: RunningProcess) -> None:
    """A customer run: "i havent ordered yet" at "What's the order number?" got "Sure, I'll see
    to that as soon as I've found the order" and the question again (3 of 3)."""
    customer = CustomerClient(product.gateway_url)
    assert "order number" in customer.say("when will my order arrive?")
    answered = customer.say("i havent ordered yet")
    assert "there's no order to track yet" in answered, answered
    assert "standard delivery takes" in answered and "order number" not in answered, answered
    # the lookup is over: the next question is answered for itself
    assert "order number" not in customer.say("do you deliver to france?")
    # a delivery asked before ordering (order_status to the model) never starts it
    before = CustomerClient(product.gateway_url).say("if i order today will it arrive by friday?")
    assert "standard delivery takes" in before and "order number" not in before, before


def test_a_requirements_reference_is_answered_for_what_it_is(product: RunningProcess) -> None:
    customer = CustomerClient(product.gateway_url)
    answered = customer.say("hi i sent you a business request yesterday, ref REQ-00015, any news?")
    assert "REQ-00015 is the reference of a request to our product team" in answered, answered
    assert "order number" not in answered
