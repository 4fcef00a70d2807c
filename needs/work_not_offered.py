"""Work the shop does not take on as a requirement: building apps, websites or software, and
design work. Harbor Goods sells home, kitchen, office and audio products, and for businesses
supplies them in bulk and sets them up; "can you develop custom software for our warehouse"
and "we need a website built for our restaurant" started the 5W1H interview and would have
been filed for the product team as if the shop could deliver them (a customer run: "build a
booking app"). The customer is told what the shop does instead (bot/policies/work_not_offered.py).
"""

from __future__ import annotations

import re

_MAKING = r"(?:build|building|built|develop|developing|code|coding|design|designing|create|creating|make|making|write|writing)"
_SOFTWARE = (r"(?:(?:mobile\s+|phone\s+|booking\s+|ordering\s+|web\s+)?apps?|applications?|web\s*sites?|web\s*shops?|online\s+shops?"
             r"|e-?commerce\s+(?:site|store|platform)|software|platforms?|chat\s*bots?|plugins?|plug-ins?|logos?"
             r"|brand(?:ing)?\s+identity)")
# "build us a booking app", "develop custom software", "design a logo for my company" (not
# "make mugs with our logo")
_MAKE_IT = re.compile(r"\b" + _MAKING + r"\b(?:\s+(?:us|me|them|for\s+us|for\s+me))?(?:\s+(?!with\b|of\b|on\b|in\b|and\b|to\b|for\b)[\w'-]+){0,3}?\s+" + _SOFTWARE + r"\b",
                      re.IGNORECASE)
# "a website built for our restaurant", "an app developed"
_HAVE_IT_MADE = re.compile(r"\b" + _SOFTWARE + r"\s+(?:built|developed|designed|made|coded|created|written)\b",
                           re.IGNORECASE)
# ... but not the app or software of something the shop sells ("make the speakers work with
# our booking app", "set up the app on 40 tablets")
_WITH_THE_GOODS = re.compile(r"\b(?:work|works|working|connect|connects|pair|pairs|sync|syncs|compatible|integrate|integrates)"
                             r"\s+(?:\w+\s+){0,2}?(?:with|to|into)\b", re.IGNORECASE)


def work_not_offered(text: str) -> bool:
    """Whether a request asks the shop to build software or do design work."""
    text = " ".join((text or "").split())
    if _WITH_THE_GOODS.search(text):
        return False
    return bool(_MAKE_IT.search(text) or _HAVE_IT_MADE.search(text))
