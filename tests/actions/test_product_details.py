"""Which words ask about a product's detail the catalogue does not hold
(actions/product_details.py)."""

from __future__ import annotations

import pytest

from actions.product_details import detail_asked


@pytest.mark.parametrize("text, detail", [
    # a customer run: each fell back or got the price alone
    ("is the lumen desk lamp dimmable?", "dimmable"), ("how big is the atlas office chair", "how big"),
    ("does it come in black?", "come in black"), ("is the cove speaker waterproof", "waterproof"),
    # the price, the warranty, the stock have their answers; a return, a delivery or a fault
    # asked with a detail word is that topic
    ("how much is the lumen lamp", None), ("is the kettle in stock", None),
    ("can i return the lamp if its the wrong colour?", None), ("my kettle is too loud, is that normal?", None),
    ("how heavy is the chair when delivered", None),
    # told, not asked
    ("the lamp is too dim", None), ("I love the colour", None),
    # a later run: a schedule and carpets got the stock answer and a care article
    ("does the drift robot vacuum have a schedule mode", "schedule"),
    ("hey does the drift robot vacuum work on thick carpets", "carpets"),
    # a later run: "not something I can help with"
    ("ok does my 15 inch laptop fit in it?", "inch"),
])
def test_a_detail_asked_is_told_apart(text, detail):
    assert detail_asked(text) == detail
