"""What a customer answers when a change is read back before it is made ("Just to check:
send order HG-… to …?", "change the email address on your account to …?"), and what they
say where the new value is asked when they no longer want the change. The address change
and the contact-detail change read the same words."""

from __future__ import annotations

import re

from ground.giving_up import GIVING_UP

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
    rf"|\b(?:leave|keep)\s+(?:the|my)\s+{_KEPT}|\bsame\s+{_KEPT}\b|{GIVING_UP}"
    # "actually no leave it where it is", "leave it as is thanks", "no keep it"
    # (not "leave it with next door at 12 Mill Lane")
    r"|\bleave\s+it\s+(?:where\s+it\s+is|as\s+it\s+is|as\s+is|alone|be)\b"
    r"|\bleave\s+it\W*(?:thanks?|thank\s+you|please|pls|then)?\W*$|^\W*no\W+keep\s+it\b"
    # "leave it actually", "just leave it for now thanks" (a customer run: not understood)
    r"|^\W*(?:(?:no|nah|actually|just|ok|okay|oh|hmm)\W+)*leave\s+it"
    r"(?:\W+(?:actually|for\s+now|then|thanks?|thank\s+you|please|pls|as\s+it\s+is|be|alone|mate))*\W*$"
    # ... and the rest of the message about something else ("leave it, I'll get it redirected
    # instead. how long does it take to ship btw" was asked for the address twice: a customer run)
    # ("leave it for now. how long have i got to change it before it ships?": a customer run)
    r"|^\W*(?:(?:no|nah|actually|just|ok|okay|oh|hmm)\W+)*leave\s+it"
    r"(?:\s+(?:for\s+now|actually|then|alone|as\s+it\s+is|be|thanks?))*\s*[,.;!\u2013-]"
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
