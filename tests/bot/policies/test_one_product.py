"""One of the shop's products wanted by a customer for themself (needs/one_product.py,
bot/policies/one_product.py): the words, the policy on trackers, then the running product."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, Event, UserUttered

from bot.policies.one_product import ACTION, OneProductPolicy
from needs.one_product import wants_one_product
from tests.bot.policies.written_predictions import predicted
from tests.product import CustomerClient, RunningProcess


def _products(*names: str) -> List[Dict[str, Any]]:
    return [{"entity": "product", "value": name} for name in names]


@pytest.mark.parametrize("text, products, wanted", [
    # a customer run: the 5W1H interview for a business request
    ("I need a new chair for my home office, my back is killing me", ("chair",), True),
    ("looking for a new office chair", ("office chair",), True),
    # a business's order, custom work, several products, or none named: the interview's
    ("we need 20 office chairs for our new office", ("office chairs",), False),
    ("looking for a chair for my company", ("chair",), False),
    ("i need a kettle and a toaster for 3 flats", ("kettle", "toaster"), False),
    ("i need a standing desk with our logo on it", ("standing desk",), False),
    ("i need something to keep my tea warm", (), False),
    # no wish for one: the help centre's
    ("my desk chair keeps sinking down", ("chair",), False),
    ("i need my chair fixed, it keeps sinking", ("chair",), False),
    ("i want a refund for the lamp", ("lamp",), False),
])
def test_one_product_for_oneself(text: str, products: tuple, wanted: bool) -> None:
    assert wants_one_product(text, _products(*products)) is wanted


def _said(text: str, intent: str = "describe_need", products: tuple = ("chair",)) -> List[Event]:
    return [ActionExecuted("action_listen"),
            UserUttered(text, {"name": intent, "confidence": 0.8}, _products(*products))]


def _predicted(tmp_path: Path, domain: Domain, events: List[Event]) -> Optional[str]:
    return predicted(OneProductPolicy, tmp_path, domain, events)


def test_such_a_need_gets_the_products_answer(tmp_path: Path, rasa_domain: Domain) -> None:
    text = "I need a new chair for my home office, my back is killing me"
    assert _predicted(tmp_path, rasa_domain, _said(text)) == ACTION
    assert _predicted(tmp_path, rasa_domain, _said(text, "nlu_fallback")) == ACTION
    assert _predicted(tmp_path, rasa_domain, _said(text) + [ActionExecuted(ACTION)]) == "action_listen"
    # a business's order, another topic, or inside a form: left to the others
    assert _predicted(tmp_path, rasa_domain, _said("we need 20 chairs for our new office")) is None
    assert _predicted(tmp_path, rasa_domain, _said("my chair arrived broken", "start_return")) is None
    assert _predicted(tmp_path, rasa_domain, _said("i need my chair fixed, it keeps sinking", "nlu_fallback")) is None
    in_form = [ActionExecuted("needs_form"), ActiveLoop("needs_form"), *_said("a chair for me")]
    assert _predicted(tmp_path, rasa_domain, in_form) is None


def test_a_chair_for_a_home_office_is_the_shops_chair(product: RunningProcess) -> None:
    customer = CustomerClient(product.gateway_url)
    answered = customer.say("I need a new chair for my home office")
    assert "Atlas Office Chair" in answered, answered
    assert "few short questions" not in answered, answered
