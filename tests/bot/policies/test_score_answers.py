"""A score that opens a message saying why is the score (bot/policies/score_answers.py): the
policy on trackers, then the running product with its model."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, UserUttered

from bot.policies.score_answers import ScoreAnswerPolicy
from tests.bot.policies.written_predictions import predicted
from tests.product import CustomerClient, RunningProcess, StaffClient


def _predicted(tmp_path: Path, domain: Domain, events: List[Event]) -> Optional[str]:
    return predicted(ScoreAnswerPolicy, tmp_path, domain, events)


def _after(question: str, text: str, intent: str) -> List[Event]:
    return [ActionExecuted("action_handoff"), BotUttered("How would you rate it?", metadata={"utter_action": question}),
            ActionExecuted("action_listen"), UserUttered(text, {"name": intent, "confidence": 0.67})]


def test_a_rating_saying_why_is_recorded_and_nothing_follows(tmp_path: Path, rasa_domain: Domain) -> None:
    """A customer run: this got the delivery text, and the rating was lost."""
    said = _after("utter_ask_rating", "2, and honestly your delivery is always late", "ask_shipping")
    assert _predicted(tmp_path, rasa_domain, said) == "action_record_rating"
    # the rules run nothing after a rating (the day-7 guide had been chained after it)
    assert _predicted(tmp_path, rasa_domain, said + [ActionExecuted("action_record_rating")]) == "action_listen"


def test_an_nps_score_saying_why_is_recorded(tmp_path: Path, rasa_domain: Domain) -> None:
    said = _after("utter_ask_nps", "9 because you were quick", "thanks")
    assert _predicted(tmp_path, rasa_domain, said) == "action_record_nps"
    assert _predicted(tmp_path, rasa_domain, said + [ActionExecuted("action_record_nps")]) == "action_listen"


@pytest.mark.parametrize("question, text, intent", [
    ("utter_ask_rating", "2 orders arrived damaged", "complaint"),      # no score opens it
    ("utter_ask_rating", "9 because you were quick", "thanks"),         # not on the 1-5 scale
    ("utter_ask_rating", "3", "rate"),                                  # the rules' own
    # from a review: another scale, and a request after the score
    ("utter_ask_rating", "4/10 not great", "complaint"),
    ("utter_ask_nps", "4/5 but slow", "complaint"),
    ("utter_ask_rating", "1. where is my refund", "refund_status"),
    ("utter_ask_rating", "2, but i want to cancel HG-100001", "cancel_order"),
    ("utter_order_options", "2, and what about the other one", "order_status"),  # no score asked
])
def test_no_score_answer_is_left_to_the_others(tmp_path: Path, rasa_domain: Domain, question, text, intent) -> None:
    assert _predicted(tmp_path, rasa_domain, _after(question, text, intent)) is None


def test_a_second_message_after_the_question_is_no_answer(tmp_path: Path, rasa_domain: Domain) -> None:
    said = _after("utter_ask_rating", "hmm", "nlu_fallback") + [
        ActionExecuted("action_clarify"), BotUttered("Sorry?"), ActionExecuted("action_listen"),
        UserUttered("2, and your delivery is late", {"name": "ask_shipping", "confidence": 0.6})]
    assert _predicted(tmp_path, rasa_domain, said) is None


def _rating_asked(product: RunningProcess) -> CustomerClient:
    customer = CustomerClient(product.gateway_url)
    customer.say("where is HG-100002")
    customer.say("LS6 2QT")
    assert "How would you rate" in customer.say("ok thanks bye")
    return customer


def test_a_score_with_its_reason_is_kept_whole_in_the_running_product(product: RunningProcess) -> None:
    """Customer runs: "3/5, could be faster" was asked for a comment it had given, and
    "2 because the parcel is late" went to a person as a complaint with no rating kept."""
    customer = _rating_asked(product)
    said = customer.say("3/5, could be faster")
    assert "passed your comment on" in said and "anything you'd like to add" not in said, said
    customer = _rating_asked(product)
    said = customer.say("2 because the parcel is late")
    assert "I didn't help you well enough" in said and "passing you to a person" not in said, said
    ticket = StaffClient.admin(product.gateway_url).ticket_of(customer.id)
    assert ticket["reasons"] == ["low_rating"], ticket
