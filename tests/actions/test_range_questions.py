"""Questions about goods the shop may not sell (actions/range_questions.py)."""

import pytest

from actions.range_questions import names_nothing_sold, thing_asked_about


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
])
def test_not_a_question_about_goods(text):
    assert thing_asked_about(text) is None


def test_goods_sharing_a_word_with_a_product_are_never_said_not_sold(session):
    assert names_nothing_sold(session, "sofas")
    assert names_nothing_sold(session, "garden furniture")
    assert not names_nothing_sold(session, "toasters")
    assert not names_nothing_sold(session, "standing desks")  # the Lumen Desk Lamp
    assert not names_nothing_sold(session, "speakers")
