"""Questions about how the site works for someone's needs (bot/policies/accessibility_questions.py):
the words, the policy on trackers, then the running product."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, ActiveLoop, Event, UserUttered

from bot.policies.accessibility_questions import AccessibilityQuestionPolicy, asks_about_access
from tests.bot.policies.written_predictions import predicted
from tests.product import CustomerClient, RunningProcess

ACCESS = {"slug": "accessibility", "section": "Using our website and chat", "score": 0.53, "confident": True}


@pytest.mark.parametrize("text, asks", [
    ("do you have accessibility features on the website, like for screen readers?", True),  # a customer run
    ("can I make the text bigger? my eyesight isn't great", False),  # no word of access named
    ("is there a large print version of the catalogue", True),
    ("the site crashes with my screen reader", False),  # a fault
    ("your website is broken", False),
])
def test_asking_about_access(text: str, asks: bool) -> None:
    assert asks_about_access(text) is asks


def _said(text: str, article: Optional[Dict[str, Any]] = ACCESS, intent: str = "website_problem") -> List[Event]:
    parse = {"intent": {"name": intent, "confidence": 0.67}, "entities": [], "text": text}
    if article is not None:
        parse["help_article"] = article
    return [ActionExecuted("action_listen"),
            UserUttered(text, parse["intent"], [], parse_data=parse)]


def _predicted(tmp_path: Path, domain: Domain, events: List[Event]) -> Optional[str]:
    return predicted(AccessibilityQuestionPolicy, tmp_path, domain, events)


def test_the_accessibility_article_answers(tmp_path: Path, rasa_domain: Domain) -> None:
    question = "do you have accessibility features on the website, like for screen readers?"
    assert _predicted(tmp_path, rasa_domain, _said(question)) == "action_clarify"
    # no confident accessibility passage, another reading, a fault, or inside a form: left alone
    assert _predicted(tmp_path, rasa_domain, _said(question, {**ACCESS, "confident": False})) is None
    assert _predicted(tmp_path, rasa_domain, _said(question, intent="ask_contact_channels")) is None
    assert _predicted(tmp_path, rasa_domain, _said("the site crashes with my screen reader")) is None
    in_form = [ActionExecuted("order_form"), ActiveLoop("order_form"), *_said(question)]
    assert _predicted(tmp_path, rasa_domain, in_form) is None


def test_a_screen_reader_question_gets_the_accessibility_answer(product: RunningProcess) -> None:
    answered = CustomerClient(product.gateway_url).say(
        "do you have accessibility features on the website, like for screen readers?")
    assert "work with screen readers and keyboard navigation" in answered, answered
    assert "reload the page" not in answered.lower(), answered
