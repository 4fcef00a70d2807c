"""A fault told at "What would you like to do with order HG-…?" (bot/policies/faults_at_order_options.py):
the policy on trackers, then the running product."""

from __future__ import annotations

from pathlib import Path
from typing import List

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, UserUttered

from bot.policies.faults_at_order_options import FaultAtOrderOptionsPolicy
from tests.bot.policies.written_predictions import predicted
from tests.product import CustomerClient, RunningProcess


def _after(response: str, text: str, intent: str = "inform") -> List[Event]:
    return [ActionExecuted("action_proof_without_a_task"),
            BotUttered("What would you like to do with order HG-100003?", metadata={"utter_action": response}),
            ActionExecuted("action_listen"), UserUttered(text, {"name": intent, "confidence": 0.53})]


@pytest.mark.parametrize("text, intent", [
    # a customer run: "Sorry, I didn't quite get that"
    ("its faulty i want it fixed or replaced", "inform"),
    ("it makes a weird grinding noise", "nlu_fallback"),
    ("the lid arrived cracked, this is ridiculous", "complaint"),
])
def test_a_fault_told_at_the_orders_options_starts_its_return(tmp_path: Path, rasa_domain: Domain,
                                                               text: str, intent: str) -> None:
    events = _after("utter_order_options", text, intent)
    assert predicted(FaultAtOrderOptionsPolicy, tmp_path, rasa_domain, events) == "action_report_fault"
    # the fault kept, the order is checked with the proof kept before, for its return
    assert predicted(FaultAtOrderOptionsPolicy, tmp_path, rasa_domain,
                     events + [ActionExecuted("action_report_fault")]) == "order_form"


@pytest.mark.parametrize("response, text, intent", [
    ("utter_order_options", "i changed my mind", "inform"),  # a cancellation as much as a return
    ("utter_order_options", "what if it breaks?", "nlu_fallback"),
    ("utter_order_options", "where is it, the last one was broken", "order_status"),  # a task of its own
    ("utter_ask_details_for_what", "its faulty i want it fixed or replaced", "inform"),  # no order asked about
])
def test_other_replies_are_left_to_the_other_policies(tmp_path: Path, rasa_domain: Domain,
                                                      response: str, text: str, intent: str) -> None:
    assert predicted(FaultAtOrderOptionsPolicy, tmp_path, rasa_domain, _after(response, text, intent)) is None


def test_a_fault_told_at_the_orders_options_in_the_running_product(product: RunningProcess) -> None:
    customer = CustomerClient(product.gateway_url)
    customer.say("the grinder i bought in HG-100003 makes a weird grinding noise, its only 10 days old")
    options = customer.say("m34lq")
    assert "What would you like to do with order HG-100003?" in options, options
    told = customer.say("its faulty i want it fixed or replaced")
    assert "sorry it has a fault" in told and "Order HG-100003 can be returned until" in told, told
