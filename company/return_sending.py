"""How a return leaves the customer: the free label, and the Post Office counter that prints it.

"do i have to pay for postage? and can i drop it at a post office", asked where a return was
to be confirmed, got the card charges of "Paying for your order" and the Premium members'
collection (a customer run): the help centre's section on the returns label answers both.
A collection from the door is its own section, asked in words the model reads as a delivery
question.
"""

from __future__ import annotations

import re

# the section that answers it (company/help_articles/sending-a-return.md)
RETURN_LABEL_SECTION = ("label",)
_SENDING = re.compile(
    r"\bpostage\b|\b(?:returns?\s+)?label\b|\bpost\s+office\b|\bdrop\s+(?:it|them|the\s+\w+)\s+off\b"
    r"|\bprinter\b|\bprint\s+(?:it|the|a)\b|\bqr\s*code\b"
    r"|\b(?:pay|paying|cost|costs|charge\w*)\b[^.?!]{0,25}\b(?:send(?:ing)?\s+(?:it|them)\s+back|return(?:ing)?\s+(?:it|them))\b",
    re.IGNORECASE)
# any word of a collection, where a label question gives way to the collection's section
_COLLECTED = re.compile(r"\bcollect\w*|\bpick(?:ed)?\s*-?\s*(?:it\s+|them\s+)?up\b", re.IGNORECASE)


def asks_how_a_return_is_sent(text: str) -> bool:
    """Whether the words ask what sending a return back costs or where it is handed in."""
    return _SENDING.search(text or "") is not None and _COLLECTED.search(text or "") is None


# a parcel collected from the customer is a return, not a delivery ("can a courier collect it
# from my house instead of me going to the post office?" in a return got the delivery costs,
# and the "no" after it cancelled the return: a customer run)
RETURN_COLLECTION = re.compile(
    r"\b(?:collect(?:ed|ion)?|pick(?:ed)?\s*-?\s*(?:it\s+|them\s+)?up)\b(?:\W+\w+){0,4}?\W+from\s+(?:my|our|the)\s+"
    r"(?:house|home|door|doorstep|flat|address|work|office|place)\b"
    r"|\b(?:go|going|get|getting|take\s+(?:it|them)|taking\s+(?:it|them)|walk|drive|trip)\s+(?:to\s+)?(?:the|a)\s+post\s+office\b"
    r"|\bsend\s+(?:it|them)\s+back\b",
    re.IGNORECASE)
# the section that answers them (company/help_articles/sending-a-return.md)
RETURN_COLLECTION_SECTION = ("collected",)


def asks_about_a_return_collection(text: str) -> bool:
    """Whether words read as a delivery question ask how a return leaves the customer."""
    return RETURN_COLLECTION.search(text or "") is not None
