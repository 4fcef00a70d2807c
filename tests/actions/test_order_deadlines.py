"""The last day to order for a day it must arrive by (actions/order_deadlines.py), from the
delivery rates of a real database."""

from __future__ import annotations

from datetime import datetime

import pytest

from actions.faq import ActionShippingInfo
from actions.order_deadlines import ActionHowToOrder
from tests.conftest import entity, make_tracker


@pytest.fixture
def december(monkeypatch):
    monkeypatch.setattr("actions.order_deadlines.utcnow", lambda: datetime(2026, 12, 7, 10, 0))  # a Monday


async def _answer(action, text, domain, make_dispatcher, intent="how_to_order", entities=()):
    tracker = make_tracker(text=text, intent=intent, entities=list(entities), domain=domain)
    dispatcher = make_dispatcher(tracker)
    await action().run(dispatcher, tracker, domain)
    return dispatcher


async def test_the_last_day_to_order_for_christmas_is_told(december, database_url, domain, make_dispatcher):
    """A customer run (in December): "when do i need to order by to get it before christmas" got
    how to place an order. The UK's seeded standard delivery takes up to three working days after
    a working day in the warehouse; next-day is ordered by 8pm."""
    dispatcher = await _answer(ActionHowToOrder, "when do i need to order by to get it before christmas", domain,
                               make_dispatcher)
    assert dispatcher.responses() == ["utter_order_by_uk"]
    message = dispatcher.messages[0]
    assert (message["deadline"], message["standard_day"], message["express_day"]) == (
        "Friday 25 December", "Sunday 20 December", "Wednesday 23 December")
    # read as a delivery question, to Spain (standard delivery only there)
    dispatcher = await _answer(ActionShippingInfo, "whats the last day to order for christmas delivery to spain",
                               domain, make_dispatcher, "ask_shipping", [entity("country", "spain")])
    assert dispatcher.responses() == ["utter_order_by_abroad_standard"]
    assert dispatcher.messages[0]["country"] == "Spain"
    # how to order, asked without a day
    dispatcher = await _answer(ActionHowToOrder, "how do i place an order", domain, make_dispatcher)
    assert dispatcher.responses() == ["utter_how_to_order"]


async def test_too_late_for_a_day_is_said(monkeypatch, database_url, domain, make_dispatcher):
    monkeypatch.setattr("actions.order_deadlines.utcnow", lambda: datetime(2026, 12, 24, 10, 0))
    dispatcher = await _answer(ActionHowToOrder, "when do i need to order by to get it before christmas", domain,
                               make_dispatcher)
    assert dispatcher.responses() == ["utter_order_by_too_late"]
    assert dispatcher.messages[0]["country"] == "the United Kingdom"


@pytest.mark.parametrize("text, asked_to_order", [
    ("ok can you order one for me", True), ("could you put the order in for me", True),
    ("can u place an order on my behalf", True), ("pls just order the lumen desk lamp for me", True),
    ("how do i place an order", False), ("can you get an invoice for me", False),
    ("my mum ordered it for me", False), ("can you check my order for me", False),
    ("i want to buy one for me and one for my sister", False), ("my wife wants to buy it for me", False),
])
async def test_asked_to_order_for_the_customer_it_says_it_cannot_then_how(text, asked_to_order, domain,
                                                                           make_dispatcher):
    """A customer run: "ok can you order one for me" after the kettle's price got the
    packaging article. Read as how to order, or not understood: the same answer."""
    from actions.fallback import ActionClarify

    ranking = [{"name": "nlu_fallback", "confidence": 0.5}, {"name": "ask_shipping", "confidence": 0.12}]
    expected = (["utter_cannot_order_in_chat"] if asked_to_order else []) + ["utter_how_to_order"]
    tracker = make_tracker(text=text, intent="how_to_order", domain=domain)
    dispatcher = make_dispatcher(tracker)
    await ActionHowToOrder().run(dispatcher, tracker, domain)
    assert dispatcher.responses() == expected
    tracker = make_tracker(text=text, intent="nlu_fallback", intent_ranking=ranking, domain=domain,
                           events=[{"event": "user", "text": text, "parse_data": {"intent": {"name": "nlu_fallback"}}}])
    dispatcher = make_dispatcher(tracker)
    await ActionClarify().run(dispatcher, tracker, domain)
    assert (dispatcher.responses() == expected) is asked_to_order, dispatcher.responses()
