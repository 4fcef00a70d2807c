"""Whether a customer asks for only some of an order's items (a return or a cancellation
here covers the whole order; only a person can take some items)."""

from __future__ import annotations

import re

from company.models import Order

# only some of the order's items, typed where the whole order's return or cancellation is
# asked ("actually its only the headphones i want to return", "yes but only the headphones",
# "not the whole order"): the question's own button for it brings a person; typed, it looped
# (3 of 3), and "cancel just one item, not the whole thing" was offered the whole order's
# cancellation
# what "the" or "my" may not name for only some of the items: the order itself ("i just want to
# return my order", "can you just cancel my order" were only some)
_NOT_AN_ITEM = r"(?!one\s+(?:order|parcel)|order|parcel|refund|box|lot|stuff|money|account|purchase)"
_ONLY_SOME = re.compile(
    r"\b(?:only|just)\s+(?:(?:want\s+to\s+)?(?:return|send(?:\s+back)?|cancel|remove)\s+)?"
    rf"(?:the\s+{_NOT_AN_ITEM}|my\s+{_NOT_AN_ITEM}|one\b(?!\s+(?:order|parcel))|some\b"
    r"|a\s+few\b"
    r"|part\b|\d+\b|two\b)"
    # "just get the one headphones repaired" (a customer run)
    r"|\b(?:only|just)\s+(?:get|fix|repair|keep)\s+(?:the\s+)?one\b(?!\s+(?:order|parcel))"
    r"|\bnot\s+(?:the\s+)?(?:whole|all|everything|entire)\b|\bsome\s+of\s+(?:the|them|it)\b"
    r"|\bpart\s+of\s+(?:the|it)\b|\b(?:keep|return|send\s+back|cancel)\s+the\s+rest\b"
    r"|\bkeep\s+(?:one|some|the\s+\w+)\b"
    r"|\b(?:cancel|remove|return|send\s+back)\s+(?:one|some|two|a\s+few|\d+)\s+(?:of\s+(?:the|my)\s+)?"
    r"(?:items?|things?|products?)\b"
    rf"|\b(?:remove|take\s+(?:off|out))\s+(?:the\s+{_NOT_AN_ITEM}|one\b|an?\s+{_NOT_AN_ITEM})"
    # "I'd like to return the headphones only"
    r"|\b(?:return|send\s+back|cancel)\s+(?:the\s+|my\s+)?"
    r"(?!(?:the|my|it|them|this|that|everything|all|order|parcel|lot|whole|entire)\b)\w+(?:\s+\w+)?\s+only\b",
    re.IGNORECASE)
_EXCEPT = re.compile(r"\b(?:except|apart\s+from|but\s+not)\b", re.IGNORECASE)
# the whole order, unless the words before say otherwise ("i dont want to send the whole lot
# back"); "send it all back"
_WHOLE = re.compile(r"\b(?:whole|entire)\s+(?:order|lot|thing)\b|\beverything\b(?!\s+(?:except|but|apart))"
                    r"|\ball\s+of\s+it\b|\b(?:send|return|cancel)\s+(?:it\s+)?all\b", re.IGNORECASE)
# (within one clause: "no i dont need anyone, just the whole order is fine" was read as only
# some items, and a person was to set it up, a customer run)
_NOT_WHOLE = re.compile(r"(?:\bnot|n't|\bdont)\b(?:\s+(?:want|need|wanna|to|return|send|cancel|it|them|of|really))*"
                        r"\s+(?:the\s+)?(?:whole|entire|everything|all)\b",
                        re.IGNORECASE)


def wants_only_some(text: str) -> bool:
    """Whether the words ask to return or cancel only some of the order's items."""
    if _EXCEPT.search(text):
        return True  # "yes everything except the kettle"
    if _ONLY_SOME.search(text) is None:
        return False
    return _NOT_WHOLE.search(text) is not None or _WHOLE.search(text) is None


def has_several_items(order: Order) -> bool:
    """Whether "only some" of the order's items can mean anything (two of one product count)."""
    return sum(item.quantity for item in order.items) > 1
