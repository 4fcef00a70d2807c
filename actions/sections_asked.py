"""Questions a help-centre section answers, whatever the model read them as: a reader of the
customer's words, and the words of the section's heading (company/help_articles).

From customer runs: "do you price match? the aurora kettle is cheaper on amazon" got the
kettle's descaling; "where is your nearest shop, im in bristol" got "that's not something I
can help with"; "is it safe to give my card details on your website? someone said theres a
scam going round" got the clarification's buttons, a payment problem first; "can it be left
with a neighbour if im out?" fell back; "do you price match tho?" where a cancellation was to
be confirmed was not answered, only the question asked again. The clarification
(actions/fallback.py) and the cancellation's reply (actions/orders.py) answer them.
"""

from __future__ import annotations

import re
from typing import Callable, Optional, Sequence, Tuple

from actions.range_questions import PRICE_MATCHING, asks_to_match_a_price
from actions.returns import tells_a_fault
from company.delivery_areas import (CUSTOMS_SECTION, MISSED_DELIVERY_SECTION, REFUSING_SECTION,
                                    asks_about_a_missed_delivery, asks_about_customs, asks_about_refusing_a_delivery)
from company.shop_visits import ONLINE_ONLY_SECTION, asks_about_a_shop_to_visit
from handoff.emotion import only_asks_if_safe

# the words of the help centre's heading that answers whether paying is safe
SAFE_PAYING_SECTION = ("payment", "safe")
# a message to go with a present ("can i add a message too", after the gift wrap: the contact
# channels, to the model, 0.68: a customer run); not a note for the courier or to a complaint,
# nor a gift card (a voucher)
GIFT_MESSAGE_SECTION = ("gift", "messages")
_GIFT_MESSAGE = re.compile(
    r"\bgift\s+(?:message|note|tag)s?\b"
    r"|\b(?:add|include|put|write|attach)\s+(?:in\s+)?(?:a\s+)?(?:little\s+|short\s+|personal\s+|nice\s+)?"
    r"(?:message|note)\b(?!\s+(?:for|to|on)\s+(?:the\s+|my\s+)?(?:courier|driver|delivery|complaint|ticket|case"
    r"|review|feedback|account))",
    re.IGNORECASE)


def asks_for_a_gift_message(text: str) -> bool:
    """Whether the words ask to send a message with a present."""
    return _GIFT_MESSAGE.search(text or "") is not None


# stock held for the customer ("can you hold one for me till friday?" got "not something I can
# help with", out of scope to the model: a customer run)
RESERVING_SECTION = ("reserving",)
_RESERVING = re.compile(
    r"\b(?:hold|reserve|keep|set|put(?:\s+(?:aside|by))?)\s+(?:one|it|them|some|a\s+\w+|the\s+\w+|\w+\s+of\s+them)"
    r"(?:\s+(?:aside|back|by))?\s+for\s+(?:me|us)\b|\breserv(?:e|ing|ation)\b|\bpre-?orders?(?:ing)?\b",
    re.IGNORECASE)


def asks_to_reserve(text: str) -> bool:
    """Whether the words ask for stock to be held or pre-ordered."""
    return _RESERVING.search(text or "") is not None


# whether a fault is repaired or replaced ("ok ill ask her. will you repair it or send a new one?"
# after the warranty got "not sure I understood": a customer run)
REPAIR_OR_REPLACEMENT_SECTION = ("repair", "replacement")
_REPAIR_OR_REPLACE = re.compile(
    r"\brepair\w*\b[^.?!]{0,30}\b(?:replac\w*|new\s+one|swap\w*)\b"
    r"|\b(?:replac\w*|new\s+one|swap\w*)\b[^.?!]{0,30}\brepair\w*", re.IGNORECASE)


def asks_repair_or_replacement(text: str) -> bool:
    """Whether the words ask whether a faulty item is repaired or replaced, with no fault told
    (a fault told is put right from its order: actions/fallback.py)."""
    return _REPAIR_OR_REPLACE.search(text or "") is not None and not tells_a_fault(text)


# where the shop got the customer's details ("how did you even get my email in the first place??"
# after the newsletter stopped got the order confirmation emails: a customer run)
DATA_KEPT_SECTION = ("what", "keep")
_WHERE_DETAILS_CAME_FROM = re.compile(
    r"\b(?:how|where)\s+(?:did|do|have)\s+(?:you|u)\s+(?:\w+\s+)?(?:get|got|find|found|obtain\w*)\s+"
    r"(?:hold\s+of\s+)?(?:my|our)\s+(?:e-?mail|email\s+address|address|number|phone\s+number|details|data|info\w*)\b"
    r"(?=\s*(?:from\b|in\s+the\s+first\s+place|anyway|[?.!]|$))",
    re.IGNORECASE)


def asks_where_details_came_from(text: str) -> bool:
    """Whether the words ask how the shop got the customer's contact details."""
    return _WHERE_DETAILS_CAME_FROM.search(text or "") is not None


# a claim without the order number or receipt ("ok so can it still get fixed without the
# number?" after the gift's order number was left out got "not sure I understood": a customer run)
PROOF_OF_PURCHASE_SECTION = ("proof", "purchase")
_WITHOUT_PROOF = re.compile(
    r"\b(?:without|with\s+no|if\s+i\s+(?:do\s*n'?t|do\s+not)\s+have|if\s+i\s+have\s*n'?t\s+got|no)\s+"
    r"(?:the\s+|an?\s+|my\s+)?(?:order\s+)?(?:number|receipt|proof\s+of\s+purchase)\b", re.IGNORECASE)
_FIXED = re.compile(r"\b(?:fix\w*|repair\w*|warrant\w*|covered|guarantee\w*)\b", re.IGNORECASE)


def asks_about_a_claim_without_proof(text: str) -> bool:
    """Whether the words ask about a warranty claim without the order number or receipt."""
    return _WITHOUT_PROOF.search(text or "") is not None and _FIXED.search(text or "") is not None


SECTIONS_ASKED_FOR: Tuple[Tuple[Callable[[str], bool], Sequence[str]], ...] = (
    (asks_to_match_a_price, PRICE_MATCHING),
    (asks_about_a_shop_to_visit, ONLINE_ONLY_SECTION),
    (only_asks_if_safe, SAFE_PAYING_SECTION),
    (asks_about_a_missed_delivery, MISSED_DELIVERY_SECTION),
    (asks_for_a_gift_message, GIFT_MESSAGE_SECTION),
    (asks_to_reserve, RESERVING_SECTION),
    # "ok and do i pay customs or anything for spain?" after the delivery to Spain got "Is it
    # about Delivery times and costs, as before?" (a customer run)
    (asks_about_customs, CUSTOMS_SECTION),
    (asks_about_refusing_a_delivery, REFUSING_SECTION),
    (asks_repair_or_replacement, REPAIR_OR_REPLACEMENT_SECTION),
    (asks_where_details_came_from, DATA_KEPT_SECTION),
    (asks_about_a_claim_without_proof, PROOF_OF_PURCHASE_SECTION),
)


def heading_asked_for(text: str) -> Optional[Sequence[str]]:
    """The heading words of the section the words ask for, or None."""
    return next((heading for asks, heading in SECTIONS_ASKED_FOR if asks(text or "")), None)
