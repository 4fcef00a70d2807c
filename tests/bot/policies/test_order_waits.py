"""Impatience with an order on schedule (bot/policies/order_waits.py): the policy on
trackers, then the running product."""

from __future__ import annotations

from pathlib import Path
from typing import List

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, UserUttered

from bot.policies.order_waits import OrderWaitPolicy
from tests.bot.policies.written_predictions import predicted
from tests.product import RunningProcess, told_an_order_on_schedule


def _after(answer: str, text: str, intent: str = "complaint") -> List[Event]:
    return [ActionExecuted("action_order_status"), BotUttered("It should arrive by Tuesday.",
                                                              metadata={"utter_action": answer}),
            ActionExecuted("action_listen"), UserUttered(text, {"name": intent, "confidence": 0.7})]


def test_impatience_after_the_status_is_answered_then_the_customer_speaks(tmp_path: Path, rasa_domain: Domain) -> None:
    events = _after("utter_order_status_shipped", "why is it taking so long?")
    assert predicted(OrderWaitPolicy, tmp_path, rasa_domain, events) == "action_order_wait"
    assert predicted(OrderWaitPolicy, tmp_path, rasa_domain,
                     events + [ActionExecuted("action_order_wait")]) == "action_listen"
    fell_back = _after("utter_order_status_processing", "annoying, I needed it for the weekend", "nlu_fallback")
    assert predicted(OrderWaitPolicy, tmp_path, rasa_domain, fell_back) == "action_order_wait"


def test_other_replies_are_left_to_the_other_policies(tmp_path: Path, rasa_domain: Domain) -> None:
    for events in (_after("utter_order_status_delivered", "why is it taking so long?"),  # never came
                   _after("utter_order_status_shipped", "thanks!", "thanks"),
                   _after("utter_order_status_shipped", "can I change the address?", "change_address")):
        assert predicted(OrderWaitPolicy, tmp_path, rasa_domain, events) is None, events[-1].text


def test_impatience_in_the_running_product_is_told_the_order_is_on_schedule(product: RunningProcess) -> None:
    customer = told_an_order_on_schedule(product)
    replies = customer.send(text="why is it taking so long?").json()["replies"]
    said = " ".join(r["text"] or "" for r in replies)
    assert "Order HG-100002 is on schedule" in said and "passing you to a person" not in said, said
    assert replies[-1]["buttons"] == [{"title": "Yes, ask a person", "payload": "/request_human"},
                                      {"title": "No, that's fine", "payload": "/deny"}]
    assert customer.transcript()["state"] == "bot"
    # the person offered is a press away, or a typed yes (a second run: "yes please" got
    # "didn't quite get that", 4 of 4)
    assert "passing you to a person" in " ".join(
        r["text"] or "" for r in customer.send(payload="/request_human").json()["replies"])
    customer = told_an_order_on_schedule(product)
    assert "on schedule" in customer.say("ugh this is taking ages")
    assert "passing you to a person" in customer.say("yes please")
    # "no thanks" after an upset turn read as a second one and handed over (2 of 2 in a run)
    customer = told_an_order_on_schedule(product)
    assert "on schedule" in customer.say("ugh still waiting")
    assert "passing you to a person" not in customer.say("no thanks")
    assert customer.transcript()["state"] == "bot"
    # "it's fine, I'll wait" fell back, and was handed over (7 of 7 in a later run)
    for impatience, waits in (("I needed it yesterday", "its fine ill wait"),
                              ("that's too late", "nah I'll wait till tuesday")):
        customer = told_an_order_on_schedule(product)
        assert "on schedule" in customer.say(impatience), impatience
        answered = customer.say(waits)
        assert "anything else" in answered and "passing you to a person" not in answered, answered
        assert customer.transcript()["state"] == "bot"
    customer = told_an_order_on_schedule(product)
    assert "on schedule" in customer.say("why is it taking so long?")
    assert "passing you to a person" not in customer.say("no thanks")
    assert customer.transcript()["state"] == "bot"
