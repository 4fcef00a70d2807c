"""A correction of a new email address or phone number read back before it is stored: "it
should be gmail.com not gmial", "gmail not gmial", "noah not noha", "the last bit is 124 not
123". A whole new value typed there replaces it outright (actions/accounts.py); these are the
corrections that name only the part that was wrong."""

from __future__ import annotations

import re
from typing import Optional

from company.identifiers import normalise_email, normalise_phone

_PART = r"[\w.+-]+"
# "X not Y", "X instead of Y", "not Y but X", "Y should be X"
_CORRECTIONS = (
    re.compile(rf"(?P<new>{_PART})\s*,?\s+(?:not|instead\s+of|rather\s+than)\s+(?P<old>{_PART})", re.I),
    re.compile(rf"\bnot\s+(?P<old>{_PART})\s*,?\s+(?:but\s+|it'?s\s+|its\s+)?(?P<new>{_PART})", re.I),
    re.compile(rf"(?P<old>{_PART})\s+should\s+(?:be|say|read)\s+(?P<new>{_PART})", re.I),
)
_NO_PART = frozenset({"it", "its", "it's", "be", "is", "that", "this", "the", "a", "but", "should",
                      "email", "address", "spelling", "typo", "sorry", "oops", "one", "domain"})


def corrected_email(current: str, text: str) -> Optional[str]:
    """`current` with the correction in `text` applied, or None when `text` corrects no part
    of it. A domain named for a misspelt one replaces the whole domain ("gmail.com not gmial"
    on noah@gmial.com gives noah@gmail.com, not noah@gmail.com.com)."""
    local, at, domain = current.partition("@")
    if not at:
        return None
    for pattern in _CORRECTIONS:
        for match in pattern.finditer(text):
            # (a leading dot stays: ".co.uk not .com" replaces the ending, not the domain)
            new, old = match.group("new").rstrip("."), match.group("old").rstrip(".")
            if new.lower() in _NO_PART or old.lower() in _NO_PART or new.lower() == old.lower():
                continue
            fixed = _replaced(local, domain, old.lower(), new.lower())
            if fixed is not None and fixed != current:
                return normalise_email(fixed)
    return None


def _replaced(local: str, domain: str, old: str, new: str) -> Optional[str]:
    if old in domain:
        # the new part names the domain itself ("gmail.com"), or a piece of it ("gmail",
        # ".co.uk" for ".com")
        whole_domain = "." in new.lstrip(".") and "." not in old and not new.startswith(".")
        return f"{local}@{new}" if whole_domain else f"{local}@{domain.replace(old, new)}"
    if old in local:
        return f"{local.replace(old, new)}@{domain}"
    return None


# "the last bit is 124 not 123", "456 not 465", "ends 124 not 123"
_DIGITS_NOT_DIGITS = re.compile(r"(?<!\d)(\d{1,6})\s*,?\s+(?:not|instead\s+of|rather\s+than)\s+(\d{1,6})(?!\d)")


def corrected_phone(current: str, text: str) -> Optional[str]:
    """`current` (+44…) with the digits the correction names replaced, the last time they
    stand, or None when `text` corrects none of its digits."""
    found = _DIGITS_NOT_DIGITS.search(text or "")
    national = current[3:] if current.startswith("+44") else current
    if found is None or found.group(2) not in national:
        return None
    new, old = found.group(1), found.group(2)
    at = national.rfind(old)
    return normalise_phone("0" + national[:at] + new + national[at + len(old):])
