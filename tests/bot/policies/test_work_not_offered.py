"""Work the shop does not do (needs/work_not_offered.py, bot/policies/work_not_offered.py):
the words, the policy on trackers, then the running product."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, Event, UserUttered

from bot.policies.work_not_offered import RESPONSE, WorkNotOfferedPolicy
from needs.work_not_offered import work_not_offered
from tests.bot.policies.written_predictions import predicted
from tests.product import CustomerClient, RunningProcess


@pytest.mark.parametrize("text, not_offered", [
    ("can you build a booking app for my salon", True),  # a customer run: the 5W1H interview
    ("we need a website built for our restaurant", True),
    ("can you develop custom software for our warehouse", True),
    ("I'd like you to design a logo for my company", True),
    ("could you make us an app", True),
    # the shop's goods, with an app or a logo beside them
    ("we need 40 desks for our new office", False),
    ("make the speakers work with our booking app", False),
    ("set up the app on 40 tablets", False),
    ("make mugs with our logo", False),
    ("can you print our logo on 200 mugs", False),
    ("can you create an account for me", False),
    ("my website is broken", False),
])
def test_work_the_shop_does_not_do(text: str, not_offered: bool) -> None:
    assert work_not_offered(text) is not_offered


def _said(text: str, intent: str = "describe_need") -> List[Event]:
    return [ActionExecuted("action_listen"), UserUttered(text, {"name": intent, "confidence": 0.9}, [])]


def _predicted(tmp_path: Path, domain: Domain, events: List[Event]) -> Optional[str]:
    return predicted(WorkNotOfferedPolicy, tmp_path, domain, events)


def test_such_a_request_is_told_what_the_shop_does(tmp_path: Path, rasa_domain: Domain) -> None:
    assert _predicted(tmp_path, rasa_domain, _said("can you build a booking app for my salon")) == RESPONSE
    assert _predicted(tmp_path, rasa_domain, _said("build me an app", "nlu_fallback")) == RESPONSE
    told = _said("can you build a booking app for my salon") + [ActionExecuted(RESPONSE)]
    assert _predicted(tmp_path, rasa_domain, told) == "action_listen"
    # the shop's own goods, another topic, or inside a form: left to the others
    assert _predicted(tmp_path, rasa_domain, _said("we need 40 desks for our new office")) is None
    assert _predicted(tmp_path, rasa_domain, _said("the app keeps crashing, build a fix", "website_problem")) is None
    in_form = [ActionExecuted("needs_form"), ActiveLoop("needs_form"), *_said("build us an app too")]
    assert _predicted(tmp_path, rasa_domain, in_form) is None


def test_a_booking_app_is_no_requirement(product: RunningProcess) -> None:
    customer = CustomerClient(product.gateway_url)
    answered = customer.say("can you build a booking app for my salon")
    assert "we don't build apps, websites or software" in answered, answered
    assert "What would you like from us" not in answered and "few short questions" not in answered, answered
    # the shop's own goods still start the interview
    assert "few short questions" in customer.say("we need 40 desks for our new office")
