"""No order yet, said where the order lookup asks for the number (bot/policies/no_order_yet.py,
actions/no_order_yet.py): the policy on trackers, the words, then the running product."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, Event, SlotSet, UserUttered

from actions.no_order_yet import says_not_ordered_yet
from actions.requirement_notes import (adds_nothing, adds_to_a_requirement, requirement_reference,
                                       tells_what_to_add)
from bot.policies.no_order_yet import NoOrderYetPolicy
from company.shop_visits import says_bought_elsewhere
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


@pytest.mark.parametrize("text, elsewhere", [
    # a customer run: asked for the order number, twice
    ("i bought it in a shop actually, dont have an order number", True),
    ("got it from argos", True), ("I bought it in store", True),
    ("i bought it from you last month", False), ("i bought it on your website", False),
])
def test_bought_in_a_shop_or_from_another_seller(text: str, elsewhere: bool) -> None:
    assert says_bought_elsewhere(text) is elsewhere


def test_bought_elsewhere_ends_or_keeps_off_the_lookup(tmp_path: Path, rasa_domain: Domain) -> None:
    text = "i bought it in a shop actually, dont have an order number"
    assert _predicted(tmp_path, rasa_domain, _in_form(text)) == "action_bought_elsewhere"
    assert _predicted(tmp_path, rasa_domain, _starting(text, "inform")) == "action_bought_elsewhere"
    # another form asking, or an order of ours named: not this one's
    assert _predicted(tmp_path, rasa_domain, _in_form(text, loop="address_form")) is None
    named = _starting("bought HG-100003 in a shop", "start_return")
    named[-1] = UserUttered("bought HG-100003 in a shop", {"name": "start_return", "confidence": 0.9},
                            [{"entity": "order_number", "value": "HG-100003"}])
    assert _predicted(tmp_path, rasa_domain, named) is None


async def test_bought_elsewhere_is_told_the_seller_handles_it(domain, make_dispatcher) -> None:
    from actions.no_order_yet import ActionBoughtElsewhere
    from tests.conftest import make_tracker

    text = "i bought it in a shop actually"
    tracker = make_tracker({"requested_slot": "order_number", "order_task": "return"}, text=text, intent="inform",
                           active_loop="order_form", domain=domain)
    dispatcher = make_dispatcher(tracker)
    events = await ActionBoughtElsewhere().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_bought_elsewhere"]
    assert {"event": "active_loop", "timestamp": None, "name": None} in events


def test_bought_in_a_shop_is_told_so_in_the_running_product(product: RunningProcess) -> None:
    """A customer run: "i bought it in a shop actually, dont have an order number" after the
    toaster's warranty was asked for the order number, twice."""
    customer = CustomerClient(product.gateway_url)
    customer.say("does the toaster have a warranty? mine stopped working after 8 months")
    answered = customer.say("i bought it in a shop actually, dont have an order number")
    assert "We only sell online" in answered, answered
    assert "order number? It starts with HG" not in answered and "didn't quite get that" not in answered, answered


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


def test_the_reply_to_what_to_add_is_added(tmp_path: Path, rasa_domain: Domain) -> None:
    asked = [ActionExecuted("action_requirement_reference"),
             BotUttered("Of course. What would you like to add to REQ-00015?",
                        metadata={"utter_action": "utter_ask_requirement_note"}),
             ActionExecuted("action_listen")]
    said = asked + [UserUttered("250 coasters as well please", {"name": "ask_product", "confidence": 0.9}, [])]
    assert _predicted(tmp_path, rasa_domain, said) == "action_add_requirement_note"
    assert _predicted(tmp_path, rasa_domain, said + [ActionExecuted("action_add_requirement_note")]) == \
        "action_listen"
    # a person asked for, or an order named, is no addition
    person = asked + [UserUttered("can i talk to someone", {"name": "request_human", "confidence": 0.9}, [])]
    assert _predicted(tmp_path, rasa_domain, person) is None
    order = asked + [UserUttered("where is HG-100002", {"name": "order_status", "confidence": 0.9},
                                 [{"entity": "order_number", "value": "HG-100002"}])]
    assert _predicted(tmp_path, rasa_domain, order) is None
    # after anything else the assistant said, a message is not taken as an addition
    other = [ActionExecuted("utter_greet"), BotUttered("Hi!", metadata={"utter_action": "utter_greet"}),
             ActionExecuted("action_listen"),
             UserUttered("250 coasters as well please", {"name": "ask_product", "confidence": 0.9}, [])]
    assert _predicted(tmp_path, rasa_domain, other) is None


@pytest.mark.parametrize("text, adds, tells", [
    # a customer run: the coasters were only met with "a person from our team can help"
    ("can I add something to REQ-00015? we also want 250 coasters", True, True),
    ("can i add something to my request REQ-00015?", True, False),
    ("I forgot to mention on REQ-15 that we need them by June", True, True),
    ("hi, could I add a note to REQ-00015 please", True, False),
    ("ref REQ-00015, any news?", False, True),
])
def test_adding_to_a_requirement(text: str, adds: bool, tells: bool) -> None:
    assert (adds_to_a_requirement(text), tells_what_to_add(text)) == (adds, tells)


@pytest.mark.parametrize("text, nothing", [("no", True), ("never mind", True), ("nothing, thanks", True),
                                           ("250 coasters", False), ("now the budget is 9k", False)])
def test_a_reply_that_adds_nothing(text: str, nothing: bool) -> None:
    assert adds_nothing(text) is nothing


def test_a_requirements_reference_is_answered_for_what_it_is(product: RunningProcess) -> None:
    customer = CustomerClient(product.gateway_url)
    answered = customer.say("hi i sent you a business request yesterday, ref REQ-00015, any news?")
    assert "REQ-00015 is the reference of a request to our product team" in answered, answered
    assert "order number" not in answered


def test_a_customer_adds_to_their_requirement_and_no_one_else_can(product: RunningProcess) -> None:
    """A customer run: "can I add something to REQ-00015? we also want 250 coasters" was told a
    person could help; the coasters reached nobody."""
    from tests.needs.test_requirements_api import identified_sheet
    from tests.product import StaffClient

    # (a customer known by email: one with none is queued for the team once the sheet is
    # confirmed, and what they write next goes to the person who picks it up)
    customer = identified_sheet(product, "30 Aurora Kettles")
    admin = StaffClient.admin(product.gateway_url)
    sheet = next(s for s in admin.http.get("/api/v1/requirements", params={"conversation_id": customer.id})
                 .json()["requirements"])
    reference = sheet["reference"]
    added = customer.say(f"can I add something to {reference}? we also want 250 coasters")
    assert f"I've added that to {reference}" in added, added
    # asked first what, then told
    assert f"What would you like to add to {reference}?" in customer.say(f"I'd like to add to {reference} please")
    assert f"I've added that to {reference}" in customer.say("and we need them by June")
    notes = admin.http.get(f"/api/v1/requirements/{sheet['id']}").json()["notes"]
    assert [n["text"] for n in notes] == [f"can I add something to {reference}? we also want 250 coasters",
                                          "and we need them by June"]
    assert "Added by the customer later" in admin.http.get(f"/api/v1/requirements/{sheet['id']}/markdown").text
    # another customer quoting the reference adds nothing, and is not asked what to add
    stranger = CustomerClient(product.gateway_url)
    refused = stranger.say(f"can I add something to {reference}? cancel all of it")
    assert f"I can't add that to {reference} here" in refused, refused
    assert "What would you like to add" not in stranger.say(f"can i add something to {reference}?")
    assert len(admin.http.get(f"/api/v1/requirements/{sheet['id']}").json()["notes"]) == 2
