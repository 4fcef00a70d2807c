"""What a customer answers when a change is read back before it is made ("Just to check:
send order HG-… to …?", "change the email address on your account to …?"), and what they
say where the new value is asked when they no longer want the change. The address change
and the contact-detail change read the same words."""

from __future__ import annotations

import re

from ground.giving_up import GIVING_UP, LEAVING_IT

_DETAIL = (r"(?:postcode|post\s+code|address|street|house\s+number|number|town|city|flat\s+number"
           r"|e-?mail(?:\s+address)?|phone(?:\s+number)?|mobile(?:\s+number)?|domain|spelling)")
# a "no" that says only that it is wrong ("nope wrong postcode" was not understood)
_BARE_NO = re.compile(r"^\W*(?:no+|nope|nah|wrong|incorrect|not\s+right|no\W+(?:that'?s|thats|it'?s|its)\s+"
                      r"(?:wrong|not\s+right|incorrect)|(?:that'?s|thats|it'?s|its)\s+(?:wrong|not\s+right|incorrect))"
                      rf"(?:\W+(?:the\s+)?(?:wrong|incorrect)\s+{_DETAIL})?"
                      r"\W*(?:sorry)?\W*$", re.IGNORECASE)
_KEPT = r"(?:address|one|email|e-mail|number|phone|details?)"
# no change wanted after all, said where the new value is asked ("no i dont want to change
# the address, i want to pick the delivery day"): read as the change again, the question was
# asked again, word for word
_NOT_CHANGING = re.compile(
    r"\b(?:do\s*n[o']?t|dont|not|no\s+need\s+to|never)\s+(?:want\s+to\s+|wanna\s+|need\s+to\s+|trying\s+to\s+)?"
    r"change\s+(?:the\s+|my\s+|its\s+|it|that)"
    rf"|\bkeep\s+(?:the\s+|my\s+)?(?:same|current|old|existing|original)\s+{_KEPT}"
    rf"|\b(?:leave|keep)\s+(?:the|my)\s+{_KEPT}|\bsame\s+{_KEPT}\b|{GIVING_UP}|{LEAVING_IT}"
    # "no keep it"
    r"|^\W*no\W+keep\s+it\b"
    # "stop", "I said stop" (4 of 4 were asked for the address again: a customer run)
    r"|^\W*(?:no\W+|i\s+said\s+|please\s+|just\s+)?stop(?:\s+(?:it|this|that|now|please|pls))?\W*$"
    r"|\bcancel\s+(?:the|this|that)\s+(?:address\s+|email\s+|number\s+)?change\b"
    r"|\bno\s+change\b|\bsame\s+place\b",
    re.IGNORECASE)


def plain_no(text: str) -> bool:
    """A "no" to the value read back that says only that it is wrong: the right one is asked
    for (ending the change lost the correction typed next)."""
    return _BARE_NO.match(text) is not None


def keeps_it_as_it_was(text: str) -> bool:
    """Words that say the change is no longer wanted ("leave it", "dont change it")."""
    return _NOT_CHANGING.search(text) is not None
