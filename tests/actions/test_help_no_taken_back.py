"""A "no" to an article taken back (actions/help_no_taken_back.py)."""

from __future__ import annotations

import pytest

from actions.help_no_taken_back import ActionHelpArticleHelpedAfterAll
from tests.conftest import make_tracker


@pytest.mark.parametrize("text, said", [
    ("its fine it did answer, i clicked wrong", ["utter_help_article_glad_after_all", "utter_anything_else"]),
    # a customer run: said with a goodbye, the conversation ends as at any goodbye
    ("its fine it did answer, i clicked wrong. bye",
     ["utter_help_article_glad_after_all", "utter_goodbye", "utter_ask_rating"]),
])
async def test_glad_it_helped_after_all(text, said, domain, make_dispatcher) -> None:
    # (the customs passage given with the delivery answer)
    events = [{"event": "user", "text": "are there customs charges for the usa?",
               "parse_data": {"intent": {"name": "ask_shipping", "confidence": 0.9}}}]
    tracker = make_tracker(text=text, intent="nlu_fallback", events=events, domain=domain)
    dispatcher = make_dispatcher(tracker)
    result = await ActionHelpArticleHelpedAfterAll().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == said
    assert (("rating_asked", True) in [(e.get("name"), e.get("value")) for e in result]) is ("bye" in text)
