"""A yes in the customer's own words to the 5W1H sheet saves it (bot/policies/agreements.py):
the policy on trackers, then the running product with its model."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Event, UserUttered

from bot.policies.agreements import AgreementPolicy
from tests.bot.policies.written_predictions import predicted, said_after
from tests.needs.test_needs_form import requirements_of
from tests.product import CustomerClient, RunningProcess, StaffClient


def _predicted(tmp_path: Path, domain: Domain, events: List[Event]) -> Optional[str]:
    return predicted(AgreementPolicy, tmp_path, domain, events)


def _after_the_sheet(text: str, intent: str) -> List[Event]:
    return said_after("utter_needs_sheet", text, intent, 0.9)


def test_a_yes_with_a_question_saves_the_sheet_then_listens(tmp_path: Path, rasa_domain: Domain) -> None:
    said = _after_the_sheet("yes. how long till someone gets back to me?", "ask_return_policy")
    assert _predicted(tmp_path, rasa_domain, said) == "action_save_requirement"
    saved = said + [ActionExecuted("action_save_requirement")]
    assert _predicted(tmp_path, rasa_domain, saved) == "action_listen"


@pytest.mark.parametrize("text, intent", [
    ("mostly yes but the when should be february not january", "correct_need"),
    ("yes... no actually", "affirm"),
    ("how long till someone gets back to me?", "ask_return_policy"),
    # from a review: a yes that goes on to change the sheet saved it unchanged
    ("ok can you change the when to february?", "affirm"),
    ("yes the when should be march", "affirm"),
    ("yes. actually can you change the where to Leeds?", "ask_shipping"),
    ("yes. the where is Leeds", "correct_need"),
])
def test_no_plain_yes_is_left_to_the_rules(tmp_path: Path, rasa_domain: Domain, text: str, intent: str) -> None:
    assert _predicted(tmp_path, rasa_domain, _after_the_sheet(text, intent)) is None


def test_a_field_named_where_the_field_to_change_is_asked_is_no_yes(tmp_path: Path, rasa_domain: Domain) -> None:
    said = [ActionExecuted("utter_needs_which_field"), ActionExecuted("action_listen"),
            UserUttered("sure, the budget", {"name": "affirm", "confidence": 0.9})]
    assert _predicted(tmp_path, rasa_domain, said) is None


def test_a_yes_after_another_question_is_not_the_sheets(tmp_path: Path, rasa_domain: Domain) -> None:
    said = [ActionExecuted("utter_needs_sheet"), ActionExecuted("action_listen"),
            UserUttered("/affirm", {"name": "affirm", "confidence": 1.0}),
            ActionExecuted("action_save_requirement"), ActionExecuted("action_listen"),
            UserUttered("yes. do you deliver to spain?", {"name": "ask_shipping", "confidence": 0.9})]
    assert _predicted(tmp_path, rasa_domain, said) is None


def test_the_sheet_confirmed_with_a_question_is_saved(product: RunningProcess) -> None:
    """A customer run: "yes. how long till someone gets back to me?" got the returns policy,
    the sheet was never saved, and its buttons no longer worked."""
    customer = CustomerClient(product.gateway_url)
    customer.say("I'd like a custom order: 10 photo frames with our logo for a hotel")
    for answer in ("to decorate the guest rooms", "by march", "Grand Hotel, Bath", "the hotel manager decides"):
        customer.say(answer)
    assert "Is that all correct?" in customer.say("no preference")
    said = customer.say("yes. how long till someone gets back to me?")
    assert "that's confirmed" in said and "within one working day" in said
    assert "send it to me again" not in said
    admin = StaffClient.admin(product.gateway_url)
    [stored] = requirements_of(admin, customer.id)
    assert "photo frames" in stored["fields"]["what"]


def test_another_question_with_the_yes_is_asked_again(product: RunningProcess) -> None:
    customer = CustomerClient(product.gateway_url)
    customer.say("we need 20 atlas chairs for our new office")
    for answer in ("moving to a bigger office", "in may", "Leeds", "our 20 staff, I decide"):
        customer.say(answer)
    assert "Is that all correct?" in customer.say("no preference")
    said = customer.say("yep perfect. oh also do you do trade discounts generally?")
    assert "that's confirmed" in said and "send it to me again" in said
