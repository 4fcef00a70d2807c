"""Whether a customer says they received the order as a gift ("it was a present from my
gran", "I got this as a gift for christmas"), not that they bought one ("I bought it as a
gift for my dad", "I got my wife a present").

Two decisions read it. A return asked by a gift's recipient goes to a person, who can make
the refund a gift card for them and send the label to them (actions/returns.py;
company/help_articles/gift-orders.md): "it was a present tho, can i get a gift card
instead?" got the buyer's card refunded and the label emailed to the buyer. And "I didn't
order it, it was a gift" is no fraud (handoff/emotion.py), while "I never ordered this, is it
a gift?" or "... it isn't a gift" still is.
"""

from __future__ import annotations

import re

_GIFT = r"(?:gift|present|pressie|prezzie)"
# what follows a gift that is not one received: "a gift for my dad", "a gift card", "a gift I
# bought" (but "a gift for christmas", "for my birthday" are received)
_NOT_RECEIVED = (r"(?!\s+(?:card|cards|wrap|wrapping|message|set|i|we)\b)"
                 r"(?!\s+for\s+(?!(?:christmas|xmas|my\s+birthday|my\s+bday|birthday)\b))")
_RECEIVED = re.compile(
    rf"\b(?:a|as\s+a|my)\s+(?:\w+\s+)?{_GIFT}\s+from\b"
    # "I got this as a gift", "received it as a birthday present", not "I got my wife a present"
    rf"|\b(?:got|received|given|get|was\s+sent)\s+(?:it|this|these|them|that|one\s+)?\s*(?:as\s+)?an?\s+"
    rf"(?:\w+\s+)?{_GIFT}\b{_NOT_RECEIVED}"
    rf"|\bto\s+me\s+as\s+an?\s+(?:\w+\s+)?{_GIFT}\b"
    # "it was a gift", "its a present" (not "is it a gift?", "it isn't a gift")
    rf"|\b(?:it\s+was|it'?s|its|it\s+is|this\s+was|this\s+is)\s+an?\s+{_GIFT}\b{_NOT_RECEIVED}"
    r"|\bgift\s+receipt\b|\bgift\s+card\s+instead\b", re.IGNORECASE)


def received_as_a_gift(text: str) -> bool:
    """Whether the words say the customer received the order as a gift."""
    return _RECEIVED.search(text) is not None
