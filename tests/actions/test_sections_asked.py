"""Questions a help-centre section answers, whatever the model read them as (actions/sections_asked.py)."""

from __future__ import annotations

import pytest

from actions.sections_asked import (SECTIONS_ASKED_FOR, GIFT_MESSAGE_SECTION, RESERVING_SECTION, asks_for_a_gift_message,
                                    asks_to_reserve, heading_asked_for)
from company.help_articles import passage_headed


@pytest.mark.parametrize("text, asks", [
    # a customer run, after the gift wrap: the contact channels
    ("can i add a message too", True), ("can i include a gift note", True),
    ("can i write a short message for her", True),
    ("can i add a note for the courier", False), ("can i add a message to my complaint", False),
    ("how do i send you a message", False), ("gift card expiry?", False),
])
def test_a_message_with_a_present(text: str, asks: bool) -> None:
    assert asks_for_a_gift_message(text) is asks


def test_every_section_asked_for_is_in_the_help_centre() -> None:
    assert heading_asked_for("can i add a message too") == GIFT_MESSAGE_SECTION
    assert all(passage_headed(heading) is not None for _, heading in SECTIONS_ASKED_FOR)


@pytest.mark.parametrize("text, asks", [
    # a customer run: "not something I can help with"
    ("can you hold one for me till friday?", True), ("can i reserve the lamp", True),
    ("do you take pre-orders", True), ("can you put two of them aside for me", True),
    ("hold on, what is my order number", False), ("keep the change", False),
    ("the payment was reserved on my card", False),
])
def test_stock_held_for_the_customer(text: str, asks: bool) -> None:
    assert asks_to_reserve(text) is asks
    assert (heading_asked_for(text) == RESERVING_SECTION) is asks


@pytest.mark.parametrize("text, heading", [
    # a customer run: after the delivery to Spain, "Is it about Delivery times and costs, as before?"
    ("ok and do i pay customs or anything for spain?", ("customs",)),
    ("will there be import duty", ("customs",)),
    ("can i just refuse the delivery then?", ("refusing", "delivery")),
    ("is the vacuum heavy duty?", None), ("how long does delivery take", None),
    # a customer run: after the warranty, "not sure I understood"
    ("ok ill ask her. will you repair it or send a new one?", ("repair", "replacement")),
    ("do you replace it or repair it", ("repair", "replacement")), ("can you repair my kettle", None),
    ("my kettle stopped working, will you repair or replace it?", None),
    # a customer run: the order confirmation emails
    ("how did you even get my email in the first place??", ("what", "keep")),
    ("where did you get my phone number from", ("what", "keep")), ("how do i change my email", None),
    ("how do u get my address changed", None), ("how did you get my address wrong", None),
    # a customer run: after the gift's order number was left out, "not sure I understood"
    ("ok so can it still get fixed without the number?", ("proof", "purchase")),
    ("is it covered if i dont have the receipt", ("proof", "purchase")),
    ("i want to return it without the box", None),
    ("can i claim a refund without a receipt", None), ("it came with no box, can i get a replacement?", None),
])
def test_customs_and_refusing_a_delivery_are_sections_asked_for(text: str, heading) -> None:
    assert heading_asked_for(text) == heading
