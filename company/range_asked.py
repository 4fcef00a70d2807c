"""The goods a "do you sell …?" question asks about, in the customer's words ("do you sell
sofas?": "sofas"), or nothing for any other question or one about a service. Read by the
answer (actions/range_questions.py says whether the shop sells them) and by the escalation
decision (handoff/escalation.py: such a question always gets an answer, so it is no failed
turn, even right after one: "do yuo sell sofas", then "do you sell sofas?" went to a person).
"""

from __future__ import annotations

import re
from typing import Optional

_ASKS_IF_SOLD = re.compile(
    r"\b(?:do|does|can|could)\s+(?:you|u|ya|yu|yuo|yoy|y'all|yall|harbor(?:\s+goods)?)\s+(?:guys\s+|lot\s+)?"
    r"(?:sell|stock|carry|do|have|offer|supply)\s+(?:any\s+|some\s+|an?\s+)?"
    r"(?P<thing>(?!(?:and|or|but|are|is|they|it|them|if|for|to|with)\b)[a-z][a-z'-]*(?:\s+[a-z][a-z'-]*){0,3}?)"
    r"\s*(?:[?.!,]|$|\s+(?:at\s+all|then|as\s+well|too|or\s+not|in\s+stock|for\s+sale|on\s+your|online"
    # ... and goods asked about beside another ("standing desks to go with the office chair")
    r"|to\s+(?:go\s+with|match)|that\s+(?:go|goes|match)|like\s+(?:the|your)|similar\s+to))",
    re.IGNORECASE)
# ... or "what kettles do you sell?", "which lamps do you have" (the first got the kettle's
# care and the recycling of old electricals: a customer run)
_WHICH_SOLD = re.compile(
    r"\b(?:what|which|wat|wht)\s+(?:(?:kinds?|sorts?|types?)\s+of\s+)?"
    r"(?P<thing>[a-z][a-z'-]*(?:\s+[a-z][a-z'-]*){0,2}?)\s+(?:do|does|can)\s+(?:you|u|ya|yu|yuo)\s+(?:guys\s+)?"
    r"(?:sell|stock|carry|have|do|offer|supply)\b",
    re.IGNORECASE)
# what a shop does besides its goods: those questions are not about the range
_SERVICE_WORDS = frozenset("""
    delivery deliveries deliver shipping ship postage next day express international worldwide abroad
    return returns refund refunds exchange exchanges discount discounts student students code codes
    voucher vouchers coupon coupons promo gift card cards wrap wrapping payment payments pay klarna paypal
    instalments installments finance financing credit plan plans membership memberships club subscription
    subscriptions trial trials account accounts newsletter newsletters app apps website site chat phone
    number email contact warranty warranties guarantee repair repairs installation install assembly
    collection collect click price prices match matching bulk business trade order orders custom
    personalisation personalization engraving sale sales offer offers deal deals insurance recycling
    recycle crypto bitcoin loan loans mortgage mortgages overdraft service services support help thing
    things stuff anything something it that this them one ones same more other others cheaper black friday
    tracking track free shop shops store stores branch branches click-and-collect appointment appointments
    quote quotes samples sample stock
""".split())
# ... and what a "what … do you have" question asks besides goods ("what sizes do you have")
_NOT_GOODS_ASKED_WHICH = _SERVICE_WORDS | frozenset("""
    size sizes colour colours color colors time times day days hours option options model models version
    versions brand brands kind kinds type types sort sorts else product products item items goods range
    languages currency currencies
""".split())


# chat laughter after the goods, no part of their name
_LAUGHTER_AFTER = re.compile(r"(?:\s+(?:lol|lols|lmao|lmfao|rofl|haha\w*|hehe\w*|jk|xd|xx|x))+$")


def thing_asked_about(text: str) -> Optional[str]:
    """The goods a "do you sell …?" question asks about, in the customer's words; None for
    any other question, or one about a service."""
    # ("which desk lamps do you have and are they dimmable" was told "I can't find and are they
    # dimmable in our range": a customer run)
    for pattern, excluded in ((_WHICH_SOLD, _NOT_GOODS_ASKED_WHICH), (_ASKS_IF_SOLD, _SERVICE_WORDS)):
        match = pattern.search(text)
        if match is None:
            continue
        # ("do u sell cars lol" answered "I can't find cars lol in our range": a customer run)
        thing = _LAUGHTER_AFTER.sub("", match.group("thing").strip().lower())
        words = set(re.findall(r"[a-z]+", thing))
        if words and not words & excluded:
            return thing
    return None


def asks_which_are_sold(text: str) -> bool:
    """Whether the words ask which goods of a kind the shop sells ("what kettles do you sell?")."""
    match = _WHICH_SOLD.search(text)
    return match is not None and thing_asked_about(text) == _LAUGHTER_AFTER.sub("", match.group("thing").strip().lower())


# the verbs that ask about the range itself, not "do you have a manager?" or "can you do better?"
_SELLS = re.compile(r"\b(?:sell|sells|stock|stocks|carry|carries|supply)\b", re.IGNORECASE)


def asks_if_sold(text: str) -> bool:
    """Whether the words ask whether the shop sells some goods ("do you sell sofas?"), with a
    verb of selling: the escalation decision counts such a question as no failed turn."""
    return thing_asked_about(text) is not None and _SELLS.search(text) is not None
