"""A continuation of the last lookup answered at once (bot/policies/follow_ups.py,
handoff/follow_ups.py): the policy on trackers, then the running product with its model."""

from __future__ import annotations

from pathlib import Path
from typing import Any, List, Optional

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, Event, UserUttered

from bot.policies.follow_ups import FollowUpPolicy
from tests.bot.policies.written_predictions import predicted
from tests.product import CustomerClient, RunningProcess


def _said(text: str, intent: str, country: Optional[str] = None) -> UserUttered:
    start = text.lower().find((country or "").lower())
    entities = ([{"entity": "country", "value": country, "start": start, "end": start + len(country)}]
                if country else [])
    return UserUttered(text, {"name": intent, "confidence": 0.9}, entities)


def _predicted(tmp_path: Path, domain: Domain, events: List[Event]) -> Optional[str]:
    return predicted(FollowUpPolicy, tmp_path, domain, events)


GERMANY: List[Any] = [ActionExecuted("action_listen"),
                      _said("how much is delivery to germany", "ask_shipping", "Germany"),
                      ActionExecuted("action_shipping_info"), ActionExecuted("action_listen")]


def test_the_policy_answers_the_continuation_then_listens(tmp_path: Path, rasa_domain: Domain) -> None:
    france = GERMANY + [_said("what about france?", "out_of_scope", "France")]
    assert _predicted(tmp_path, rasa_domain, france) == "action_shipping_info"
    assert _predicted(tmp_path, rasa_domain, france + [ActionExecuted("action_shipping_info")]) == "action_listen"


def test_the_policy_abstains_in_a_form_and_for_a_topic(tmp_path: Path, rasa_domain: Domain) -> None:
    in_a_form = GERMANY[:-1] + [ActiveLoop("order_form"), ActionExecuted("action_listen"),
                                _said("what about france?", "out_of_scope", "France")]
    assert _predicted(tmp_path, rasa_domain, in_a_form) is None
    understood = GERMANY + [_said("and to italy?", "ask_shipping", "Italy")]
    assert _predicted(tmp_path, rasa_domain, understood) is None


def test_what_about_another_country_gets_its_delivery_costs(product: RunningProcess) -> None:
    """'what about france?' after the delivery costs to Germany was offered as a button, and
    'and spain' got "Sorry, I didn't quite get that" (a customer run)."""
    customer = CustomerClient(product.gateway_url)
    assert "To Germany" in customer.say("how much is delivery to germany")
    assert "To Spain" in customer.say("and spain")
    assert "To France" in customer.say("what about france?")
    # understood, though out of scope to the model: a miss after it is the first, not the
    # second in a row that hands over
    customer.say("blorp wibble")
    assert customer.transcript()["state"] == "bot"


def test_a_country_alone_without_a_lookup_before_is_not_answered_as_one(product: RunningProcess) -> None:
    customer = CustomerClient(product.gateway_url)
    assert "To France" not in customer.say("and france")


def test_a_delivery_question_naming_only_its_place_is_answered(product: RunningProcess) -> None:
    """"how long to portugal" (out of scope, 0.97, to the model) and "how long to manchester"
    got "that's not something I can help with" (a customer run). Right after a miss, still
    understood: no person for a second miss."""
    customer = CustomerClient(product.gateway_url)
    customer.say("blorp wibble")
    assert "we don't deliver to Portugal" in customer.say("how long to portugal")
    assert customer.transcript()["state"] == "bot"
    assert "In the UK, standard delivery takes" in customer.say("how long to manchester")
    assert "To Ireland" in customer.say("how long to dublin")


def test_whether_a_named_country_is_served_is_answered(product: RunningProcess) -> None:
    """"she lives in germany is that ok" after the gift-orders article asked for an order number
    (a customer run): the delivery to Germany."""
    customer = CustomerClient(product.gateway_url)
    assert "gift" in customer.say("can i send an order as a gift to my sister?").lower()
    assert "To Germany" in customer.say("she lives in germany is that ok")
    assert customer.transcript()["state"] == "bot"


def test_a_city_or_a_delivery_day_after_a_delivery_answer_goes_on_with_it(product: RunningProcess) -> None:
    """After a delivery answer, "and new york?" was not understood and "can it come on a
    saturday" got the support team's opening hours (a customer run)."""
    customer = CustomerClient(product.gateway_url)
    assert "To Germany" in customer.say("how much is delivery to germany")
    assert "To the United States" in customer.say("and new york?")
    assert "not at weekends" in customer.say("can it come on a saturday")


def test_a_detail_of_the_product_just_answered_gets_the_product_answer(tmp_path: Path, rasa_domain: Domain) -> None:
    """A customer run: "and how long does the battery last" after the Nimbus Headphones' price
    (inform, nothing in it) got "Sorry, I didn't quite get that"."""
    price = [ActionExecuted("action_listen"), _said("how much are the nimbus headphones", "ask_product"),
             ActionExecuted("action_product_info"), ActionExecuted("action_listen")]
    battery = price + [_said("and how long does the battery last", "inform")]
    assert _predicted(tmp_path, rasa_domain, battery) == "action_product_info"
    assert _predicted(tmp_path, rasa_domain, battery + [ActionExecuted("action_product_info")]) == "action_listen"
    # not a detail, or after another topic, or a detail told: the policy keeps out
    assert _predicted(tmp_path, rasa_domain, price + [_said("and my dog likes them", "inform")]) is None
    assert _predicted(tmp_path, rasa_domain, GERMANY + [_said("and how long does the battery last", "inform")]) is None
    told = price + [_said("and how long does the battery last in france", "inform", "France")]
    assert _predicted(tmp_path, rasa_domain, told) is None
    # the dearest after the cheapest (a customer run: "didn't quite get that")
    dearest = price + [_said("and the most expensive?", "out_of_scope")]
    assert _predicted(tmp_path, rasa_domain, dearest) == "action_product_info"


def test_a_detail_pointing_back_at_the_product_beats_an_unsure_other_topic(tmp_path: Path,
                                                                          rasa_domain: Domain) -> None:
    """A customer run: "can i set it on a schedule" after the Drift Robot Vacuum's schedule mode
    was asked got the opening hours (ask_opening_hours 0.70)."""
    vacuum = [ActionExecuted("action_listen"),
              _said("does the drift robot vacuum have a schedule mode", "ask_stock"),
              ActionExecuted("action_product_info"), ActionExecuted("action_listen")]

    def asked(text: str, confidence: float) -> UserUttered:
        return UserUttered(text, {"name": "ask_opening_hours", "confidence": confidence}, [])

    assert _predicted(tmp_path, rasa_domain, vacuum + [asked("can i set it on a schedule", 0.7)]) == "action_product_info"
    # sure of the other topic, not pointing back at the product, or no detail: the policy keeps out
    assert _predicted(tmp_path, rasa_domain, vacuum + [asked("can i set it on a schedule", 0.95)]) is None
    assert _predicted(tmp_path, rasa_domain, vacuum + [asked("what is your schedule on saturday", 0.7)]) is None
    assert _predicted(tmp_path, rasa_domain, vacuum + [asked("is it open now", 0.7)]) is None


def test_a_product_detail_asked_next_is_answered_for_that_product(product: RunningProcess) -> None:
    customer = CustomerClient(product.gateway_url)
    assert "Nimbus Headphones" in customer.say("how much are the nimbus headphones")
    reply = customer.say("and how long does the battery last")
    assert "Nimbus Headphones" in reply and "didn't quite get that" not in reply
