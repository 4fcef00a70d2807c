"""The goods a "do you sell …?" question asks about (company/range_asked.py)."""

import pytest

from company.range_asked import thing_asked_about


@pytest.mark.parametrize("text, thing", [
    ("do you sell sofas?", "sofas"),
    ("Do you guys stock garden furniture", "garden furniture"),
    ("hi, do you have any bikes in stock?", "bikes"),
    ("do u do mattresses", "mattresses"),
    ("does harbor goods sell a coffee machine?", "coffee machine"),
    # beside a product named (a customer run: answered with the chair's price)
    ("do you sell standing desks to go with the office chair?", "standing desks"),
    ("do you have cushions that match the atlas chair", "cushions"),
    # a customer run: "Sorry, I can't find cars lol in our range"
    ("do u sell cars lol", "cars"), ("do you sell sofas haha", "sofas"),
    # a customer run: not understood, then asked again and handed to a person
    ("do yuo sell sofas", "sofas"),
    # a customer run: the kettle's care and the recycling of old electricals
    ("what kettles do you sell?", "kettles"), ("which lamps do you have", "lamps"),
    ("what kind of sofas do you stock", "sofas"),
    # a customer run: "I can't find and are they dimmable in our range"
    ("which desk lamps do you have and are they dimmable", "desk lamps"),
    # a review: a "which" question about something else before it
    ("which colours do you have? do you sell desk lamps?", "desk lamps"),
    # the words a "what … do you have" question asks besides goods still name goods here (a review)
    ("do you sell cleaning products?", "cleaning products"), ("do you sell model trains", "model trains"),
])
def test_the_goods_asked_about(text, thing):
    assert thing_asked_about(text) == thing


@pytest.mark.parametrize("text", [
    "do you do next day delivery?",
    "do you have gift cards",
    "do you offer student discount",
    "do you sell it cheaper anywhere",
    "can you do a bulk order for our office",
    "where is my order",
    "I want sofas",
    "what sizes do you have", "what time do you close", "what else do you sell", "what products do you sell",
    "what do you sell", "which colours does it come in", "what payment methods do you have",
    "do you have and are they dimmable",
])
def test_not_a_question_about_goods(text):
    assert thing_asked_about(text) is None
