"""Whether a customer says they received the order as a gift (handoff/gifts.py)."""

import pytest

from handoff.gifts import received_as_a_gift


@pytest.mark.parametrize("text, received", [
    ("hi, i got a gift from my aunt, the order number on the gift receipt is HG-100167", True),
    ("it was a present tho, can i get a gift card instead?", True), ("I received it as a birthday present", True),
    ("my sister sent it to me as a present", True), ("I got this as a gift for christmas, can I return it", True),
    ("I didn't order it, it was a gift", True), ("return it please, it is a present from my gran", True),
    # the buyer's own gift, a gift card of the shop's, or a gift questioned or denied (a review)
    ("I bought it as a gift for my dad but he hates it", False), ("it was a gift for my mum", False),
    ("i got a gift card from you", False), ("I gave it to my mum as a present", False),
    ("I got my wife a present but she hates it", False),
    ("I never ordered this and you have charged my card, it isn't a gift", False),
    ("I didnt order anything but there is an order for a gift set on my account", False),
    ("I never ordered this, is it a gift?", False),
])
def test_a_gift_received_in_words(text, received):
    assert received_as_a_gift(text) is received
