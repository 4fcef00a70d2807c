"""Why the proof is asked, asked where a form asks for it (bot/policies/proof_questions.py):
the policy on trackers, then the running product."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, Event, SlotSet, UserUttered

from actions.proof_questions import asks_why_proof
from bot.policies.proof_questions import ProofQuestionPolicy
from tests.bot.policies.written_predictions import predicted
from tests.product import CustomerClient, RunningProcess


def _in_form(loop: str, text: str, intent: str = "ask_contact_channels", entities=None) -> List[Event]:
    return [ActionExecuted(loop), ActiveLoop(loop), ActionExecuted("action_listen"),
            UserUttered(text, {"name": intent, "confidence": 0.9}, entities or [])]


def _predicted(tmp_path: Path, domain: Domain, events: List[Event]) -> Optional[str]:
    return predicted(ProofQuestionPolicy, tmp_path, domain, events)


@pytest.mark.parametrize("loop", ["order_form", "newsletter_unsubscribe_form", "password_reset_form", "erasure_form"])
def test_why_the_proof_is_asked_is_answered_in_every_form_that_asks_for_it(tmp_path: Path, rasa_domain: Domain,
                                                                            loop: str) -> None:
    assert _predicted(tmp_path, rasa_domain, _in_form(loop, "why do you need my email?")) == "action_why_proof"


def test_a_proof_given_or_another_form_is_left_to_the_form(tmp_path: Path, rasa_domain: Domain) -> None:
    given = _in_form("order_form", "why do you need my postcode? its LS6 2QT", "inform",
                     [{"entity": "postcode", "value": "LS6 2QT", "start": 30, "end": 37}])
    assert _predicted(tmp_path, rasa_domain, given) is None
    assert _predicted(tmp_path, rasa_domain, _in_form("needs_form", "why do you need my email?")) is None


@pytest.mark.parametrize("text, asks", [
    ("why do you need my email?", True), ("why do u need my postcode", True),
    ("why do you need that? I already gave you the order number", True),
    ("is it safe to give you my email here?", True),
    # a second customer run
    ("what do you need my email for", True), ("do I have to give you that?", True),
    ("what if I don't want to give it", True),
    ("why do you need my email, its alice.morgan@example.com", False),
    ("why is my order late", False), ("which email do you need", False),
])
def test_asking_why_the_proof_is_needed(text: str, asks: bool) -> None:
    assert asks_why_proof(text) is asks


def test_why_the_email_is_needed_is_answered_where_the_newsletter_is_stopped(product: RunningProcess) -> None:
    """A customer run: "why do you need my email?" where the newsletter's stop asked for it
    got the shop's phone number and postal address."""
    customer = CustomerClient(product.gateway_url)
    assert "Which email address should stop" in customer.say("unsubscribe me from the newsletter")
    answered = customer.say("why do you need my email?")
    assert "nobody else can see or change your orders or your account" in answered, answered
    assert "0117" not in answered and answered.rstrip().endswith("Which email address should stop getting our newsletter?")


def test_the_task_goes_on_after_why_the_proof_is_asked(product: RunningProcess) -> None:
    """A customer run: "wheres HG-100001", then "why do you need that? it's my order, just look
    it up" (taken by the form as the proof itself, so the form ended unproved), then the email:
    "What would you like to do with order HG-100001?", the tracking asked for lost."""
    customer = CustomerClient(product.gateway_url)
    customer.say("wheres HG-100001")
    answered = customer.say("why do you need that? it's my order, just look it up")
    assert "nobody else can see or change your orders" in answered, answered
    # the proof asked again, in fewer words than the first time
    assert answered.rstrip().endswith("What's the email address you ordered with, or the delivery postcode of order "
                                      "HG-100001?"), answered
    told = customer.say("fine, alice.morgan@example.com")
    assert "What would you like to do" not in told and "being packed" in told, told


@pytest.mark.parametrize("text, asks", [
    # customer runs: "not something I can help with", then the contact channels, then the
    # number asked again
    ("where do i even find it", True), ("how do I find my order number if I don't have the email", True),
    ("where's the order number?", True), ("where is it", False),
    ("HG-100001", False), ("where is my parcel HG-100001", False), ("why do you need it", False),
])
def test_asking_where_the_order_number_is(text: str, asks: bool) -> None:
    from actions.proof_questions import asks_where_the_number_is

    assert asks_where_the_number_is(text) is asks


def test_where_the_number_is_is_answered_where_the_order_check_asks_for_it(tmp_path: Path,
                                                                           rasa_domain: Domain) -> None:
    asked = [ActionExecuted("order_form"), ActiveLoop("order_form"), SlotSet("requested_slot", "order_number"),
             ActionExecuted("action_listen"), UserUttered("where do i even find it", {"name": "out_of_scope"})]
    assert _predicted(tmp_path, rasa_domain, asked) == "action_where_order_number"
    # where the proof is asked, or in another form, it is not this question
    proof = asked[:2] + [SlotSet("requested_slot", "order_verifier")] + asked[3:]
    assert _predicted(tmp_path, rasa_domain, proof) is None
    other = [ActionExecuted("newsletter_form"), ActiveLoop("newsletter_form"), SlotSet("requested_slot", "account_email"),
             ActionExecuted("action_listen"), UserUttered("where do i even find it", {"name": "out_of_scope"})]
    assert _predicted(tmp_path, rasa_domain, other) is None


async def test_the_action_says_where_and_lets_the_form_ask_again(domain, make_dispatcher) -> None:
    from actions.proof_questions import ActionWhereOrderNumber
    from tests.conftest import make_tracker

    tracker = make_tracker({"requested_slot": "order_number", "order_number": "where do i even find it"},
                           text="where do i even find it", intent="out_of_scope", active_loop="order_form", domain=domain)
    dispatcher = make_dispatcher(tracker)
    events = await ActionWhereOrderNumber().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_where_order_number"]
    assert events == [{"event": "slot", "timestamp": None, "name": "order_number", "value": None}]


@pytest.mark.parametrize("slot", ["order_verifier", "account_email"])
def test_a_phone_number_offered_as_the_proof_is_answered(tmp_path: Path, rasa_domain: Domain, slot: str) -> None:
    """A customer run: "maybe i used my old email, i dont remember it. can i use my phone
    number?" where the proof was asked started a change of contact details."""
    loop = "order_form" if slot == "order_verifier" else "password_reset_form"
    text = "maybe i used my old email, i dont remember it. can i use my phone number?"
    asked = [ActionExecuted(loop), ActiveLoop(loop), SlotSet("requested_slot", slot),
             ActionExecuted("action_listen"), UserUttered(text, {"name": "update_contact_details"})]
    assert _predicted(tmp_path, rasa_domain, asked) == "action_why_proof"
    # where the order number is asked, a phone number is no proof question
    number = asked[:2] + [SlotSet("requested_slot", "order_number")] + asked[3:]
    assert _predicted(tmp_path, rasa_domain, number) is None


async def test_a_phone_number_is_told_it_cannot_prove_it(domain, make_dispatcher) -> None:
    from actions.proof_questions import ActionWhyProof
    from tests.conftest import make_tracker

    text = "can i use my phone number instead?"
    tracker = make_tracker({"requested_slot": "order_verifier", "order_verifier": text}, text=text,
                           intent="update_contact_details", active_loop="order_form", domain=domain)
    dispatcher = make_dispatcher(tracker)
    events = await ActionWhyProof().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == ["utter_proof_not_by_phone"]
    assert events == [{"event": "slot", "timestamp": None, "name": "order_verifier", "value": None}]


async def test_why_the_order_number_is_asked_is_answered_for_the_number(domain, make_dispatcher) -> None:
    """A customer run: "why do you need that?" to the order number's question was told why the
    email address and the postcode are asked."""
    from actions.proof_questions import ActionWhyProof
    from tests.conftest import make_tracker

    text = "why do you need that?"
    for asked, response in (("order_number", "utter_why_order_number"), ("order_verifier", "utter_why_proof")):
        tracker = make_tracker({"requested_slot": asked, asked: text}, text=text, intent="nlu_fallback",
                               active_loop="order_form", domain=domain)
        dispatcher = make_dispatcher(tracker)
        events = await ActionWhyProof().run(dispatcher, tracker, domain)
        assert dispatcher.responses() == [response]
        assert events == [{"event": "slot", "timestamp": None, "name": asked, "value": None}]
