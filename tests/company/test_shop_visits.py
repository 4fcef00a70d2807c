"""Questions about a shop to visit (company/shop_visits.py)."""

from __future__ import annotations

import pytest

from company.shop_visits import asks_about_a_shop_to_visit


@pytest.mark.parametrize("text, asks", [
    # a customer run: out of scope, and a fallback that went to a person
    ("where is your nearest shop, im in bristol", True),
    ("ugh ive been on your website 20 mins and cant find if you do click and collect. do you or not??", True),
    ("do you have a shop in manchester", True), ("can i pop into your store and see the chair", True),
    ("is there a physical store i can visit", True), ("can i collect it in store", True),
    ("do u have any stores near leeds", True),
    # the online shop, or nothing about visiting one
    ("is the kettle in stock in your shop", False), ("I love your shop", False),
    ("how do I shop on your website", False), ("where is my order", False),
])
def test_a_question_about_a_shop_to_visit(text, asks):
    assert asks_about_a_shop_to_visit(text) is asks
