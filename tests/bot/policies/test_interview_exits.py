"""The 5W1H interview is left for an order or in words (bot/policies/interview_exits.py):
the policy on trackers, then the running product."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, Event, UserUttered

from bot.policies.interview_exits import InterviewExitPolicy
from tests.bot.policies.written_predictions import predicted
from tests.product import CustomerClient, RunningProcess


def _in_the_interview(text: str, intent: str, confidence: float = 0.97,
                      entities: Optional[List[Dict[str, Any]]] = None, loop: str = "needs_form") -> List[Event]:
    return [ActionExecuted(loop), ActiveLoop(loop), ActionExecuted("utter_ask_need_why"),
            ActionExecuted("action_listen"),
            UserUttered(text, {"name": intent, "confidence": confidence}, entities or [])]


def _predicted(tmp_path: Path, domain: Domain, events: List[Event]) -> Optional[str]:
    return predicted(InterviewExitPolicy, tmp_path, domain, events)


ORDER = [{"entity": "order_number", "value": "HG-100005", "start": 0, "end": 9}]


@pytest.mark.parametrize("text, intent, confidence, entities", [
    ("actually nevermind, where is my order HG-100005", "order_status", 0.97, ORDER),
    ("where is my refund", "refund_status", 0.95, []),
    ("cancel HG-100005 please", "cancel_order", 0.95, ORDER),
    ("can I get the invoice for HG-100005", "request_invoice", 0.95, ORDER),
    ("stop. i dont want this. WHERE IS MY ORDER", "nlu_fallback", 0.5, []),
    ("forget it", "deny", 0.6, []),
])
def test_an_order_or_words_that_leave_end_the_interview(tmp_path: Path, rasa_domain: Domain, text: str,
                                                         intent: str, confidence: float, entities) -> None:
    said = _in_the_interview(text, intent, confidence, entities)
    assert _predicted(tmp_path, rasa_domain, said) == "action_leave_needs"
    # once: the action itself decides what comes next
    assert _predicted(tmp_path, rasa_domain, said + [ActionExecuted("action_leave_needs")]) is None


@pytest.mark.parametrize("text, intent, confidence, entities", [
    ("for our staff party", "inform", 0.9, []),
    # an order's task without an order named may be the answer ("deliver them to our Leeds office")
    ("deliver them to our Leeds office", "change_address", 0.95, []),
    ("where is my order", "order_status", 0.6, []),  # not sure enough
    ("what are your opening hours?", "ask_opening_hours", 0.99, []),  # answered, the interview goes on
    # how the request is paid (a customer run: left for an order check, 2 of 2)
    ("can you invoice us? net 30", "request_invoice", 0.95, []),
])
def test_answers_and_frequent_questions_stay_in_the_interview(tmp_path: Path, rasa_domain: Domain, text: str,
                                                               intent: str, confidence: float, entities) -> None:
    assert _predicted(tmp_path, rasa_domain, _in_the_interview(text, intent, confidence, entities)) is None


def test_only_the_interview_is_left(tmp_path: Path, rasa_domain: Domain) -> None:
    said = _in_the_interview("forget it", "deny", 0.6, loop="order_form")
    assert _predicted(tmp_path, rasa_domain, said) is None


def test_the_customer_gets_out_of_the_interview_to_their_order(product: RunningProcess) -> None:
    """A customer run: "actually nevermind, where is my order HG-…" was filed as the Why and
    the next question asked; the order was never looked at."""
    customer = CustomerClient(product.gateway_url)
    assert "What problem should this solve" in customer.say("I want 50 branded backpacks for a conference in june")
    left = customer.say("actually nevermind, where is my order HG-100005")
    assert "we can leave it there" in left and "delivery postcode of order HG-100005" in left, left
    assert "HG-100005" in customer.say("NW1 6XE")


def test_leaving_in_words_alone_is_not_asked_about(product: RunningProcess) -> None:
    """A customer run: "stop, forget it" got the goodbye to the interview and then "Sorry, I
    didn't quite get that"."""
    customer = CustomerClient(product.gateway_url)
    customer.say("we need 30 custom engraved backpacks for our team of 30 by March")
    left = customer.say("stop, forget it")
    assert "we can leave it there" in left and "didn't quite get that" not in left, left


def test_a_pause_leaves_the_interview_with_what_was_told_kept(product: RunningProcess) -> None:
    """A second customer run: "I need to check with Sarah first, can I come back to this
    later?" in the interview fell back to "Sorry, I'm not sure I understood"."""
    customer = CustomerClient(product.gateway_url)
    customer.say("Can you do a custom order? We want Summit Backpacks with our company logo embroidered")
    left = customer.say("I need to check with Sarah first, can I come back to this later?")
    assert "we can leave it there" in left and "I've kept what you told me" in left, left
    assert "understood" not in left and "didn't quite get that" not in left, left


@pytest.mark.parametrize("text, leaves", [
    ("stop", True), ("stop, forget it", True), ("never mind", True), ("i dont want this anymore", True),
    ("forget it, I'll go elsewhere", True), ("leave it, I'll email you instead", True),
    # a second run: a pause fell back
    ("I need to check with Sarah first, can I come back to this later?", True),
    ("we'll finish this tomorrow", True),
    # from a review: answers and corrections that contain the words
    ("i dont want it to cost more than 500", False), ("leave it at reception in our Leeds office", False),
    ("scrap that, make it 30 people", False), ("forget that, its 20 of us", False),
    ("stop the old lamps flickering", False),
    ("I dont want this to happen again, the old lamps kept breaking", False),
])
def test_words_that_leave_the_interview(text: str, leaves: bool) -> None:
    from actions.needs import leaves_the_interview

    assert leaves_the_interview(text) is leaves
