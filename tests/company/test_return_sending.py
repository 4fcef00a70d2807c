"""Questions about sending a return back (company/return_sending.py)."""

from __future__ import annotations

import pytest

from company.return_sending import asks_about_a_return_collection, asks_how_a_return_is_sent


@pytest.mark.parametrize("text, asks", [
    # a customer run, where the return was to be confirmed
    ("do i have to pay for postage? and can i drop it at a post office", True),
    ("does it cost anything to send it back", True),
    ("i dont have a printer for the label", True),
    # a collection from the door is another section's
    ("can a courier collect it from my house instead of me going to the post office?", False),
    ("how long until i get my money back", False),
])
def test_a_question_about_sending_a_return(text, asks) -> None:
    assert asks_how_a_return_is_sent(text) is asks


@pytest.mark.parametrize("text, asks", [
    # a customer run, in a return: the delivery costs, and the "no" after them cancelled it
    ("can a courier collect it from my house instead of me going to the post office?", True),
    ("i cant get to the post office, can someone collect it?", True), ("can you pick it up from my flat", True),
    # delivery questions
    ("can i collect it from your warehouse", False), ("do you deliver to a post office", False),
    ("can the courier drop it off with my neighbour", False), ("do you deliver to my house", False),
])
def test_a_parcel_collected_from_the_customer_is_a_return(text, asks):
    assert asks_about_a_return_collection(text) is asks
