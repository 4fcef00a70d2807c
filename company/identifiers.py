"""Recognises and normalises what customers type as identifiers.

Everything a customer types passes through here before it reaches a query, so that
"hg104233", "#104233" and "HG-104233" find the same order and anything else finds nothing.
"""

from __future__ import annotations

import re
from typing import List, Optional

_ORDER_NUMBER = re.compile(r"^(?:order\s*(?:number|no\.?)?\s*)?#?\s*(?:hg\s*-?\s*)?(\d{6})$", re.I)
_POSTCODE = re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})$", re.I)
_ORDER_NUMBER_IN_TEXT = re.compile(r"\b(?:hg\s*-?\s*)?(\d{6})\b", re.I)
_POSTCODE_IN_TEXT = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})\b", re.I)
_EMAIL = re.compile(r"^[A-Z0-9._%+'-]+@[A-Z0-9-]+(?:\.[A-Z0-9-]+)*\.[A-Z]{2,}$", re.I)
_UK_PHONE = re.compile(r"^(?:\+44\s?|0044\s?|0)(\d[\d\s-]{8,12}\d)$")
_TRUNK_ZERO = re.compile(r"^(\+44|0044)\s*\(0\)\s*")

MAX_IDENTIFIER_LENGTH = 254


def normalise_order_number(text: Optional[str]) -> Optional[str]:
    """'hg104233' → 'HG-104233'; None when the text is not an order number."""
    if not text or len(text) > 40:
        return None
    match = _ORDER_NUMBER.match(text.strip())
    return f"HG-{match.group(1)}" if match else None


def normalise_postcode(text: Optional[str]) -> Optional[str]:
    """'ls62qt' → 'LS6 2QT'; None when the text is not a UK postcode."""
    if not text or len(text) > 16:
        return None
    match = _POSTCODE.match(text.strip())
    return f"{match.group(1)} {match.group(2)}".upper() if match else None


def find_postcode(text: str) -> Optional[str]:
    """The last UK postcode written somewhere in `text`, normalised."""
    matches = list(_POSTCODE_IN_TEXT.finditer(text))
    if not matches:
        return None
    last = matches[-1]
    return f"{last.group(1)} {last.group(2)}".upper()


def find_order_numbers(text: str) -> List[str]:
    """The order numbers written somewhere in `text`, normalised, in order ("HG-104233",
    "hg104233" and a bare "104233" alike)."""
    return [f"HG-{match.group(1)}" for match in _ORDER_NUMBER_IN_TEXT.finditer(text or "")]


def normalise_email(text: Optional[str]) -> Optional[str]:
    """Lower-cased address; None when the text is not an email address."""
    if not text:
        return None
    candidate = text.strip().strip("<>.,;").lower()
    if len(candidate) > MAX_IDENTIFIER_LENGTH or not _EMAIL.match(candidate):
        return None
    return candidate


def normalise_phone(text: Optional[str]) -> Optional[str]:
    """A UK number in international form ('+447700900123'); None when it is not one."""
    if not text or len(text) > 24:
        return None
    # "+44 (0)7700 900 456": the trunk 0 in brackets is not dialled after +44
    match = _UK_PHONE.match(_TRUNK_ZERO.sub(r"\1", text.strip()).replace("(", "").replace(")", ""))
    if not match:
        return None
    digits = re.sub(r"\D", "", match.group(1))
    return f"+44{digits}" if 9 <= len(digits) <= 10 else None


def mask_email(email: str) -> str:
    """'alice.morgan@example.com' → 'al***@example.com', to confirm without disclosing."""
    local, _, domain = email.partition("@")
    return f"{local[:2]}***@{domain}"
