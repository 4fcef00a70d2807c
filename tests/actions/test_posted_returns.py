"""Words that say a parcel was sent back (actions/posted_returns.py)."""

import pytest

from actions.posted_returns import says_it_was_posted_back


@pytest.mark.parametrize("text", [
    "i have the post office receipt. 2 weeks ago",
    "I've got the receipt from the post office with a tracking number",
    "no I HAVE it, I sent it BACK to you. the receipt proves it",
    "I have the proof of postage, where is my parcel?",
    "already posted it, without a label, will it still get refunded?",
    "i returned the lamp last week",
    "dropped it back at the depot on monday",
    "hi, has my refund gone through yet? i returned part of order HG-100003",  # a customer run
])
def test_a_parcel_posted_back(text):
    assert says_it_was_posted_back(text)


@pytest.mark.parametrize("text", [
    "can I get a receipt for my order",
    "I need an invoice for HG-100003",
    "I lost the return slip, can I still send it back?",
    "how do I send it back",
    "I want to return the lamp",
    "where is my refund",
    "i returned from holiday and my parcel is missing",
])
def test_not_a_parcel_posted_back(text):
    assert not says_it_was_posted_back(text)
