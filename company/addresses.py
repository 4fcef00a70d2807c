"""Reads a UK delivery address typed in one line by a customer."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from company.identifiers import find_postcode

MAX_ADDRESS_LENGTH = 200


@dataclass(frozen=True)
class Address:
    line: str
    city: str
    postcode: str

    def one_line(self) -> str:
        return f"{self.line}, {self.city} {self.postcode}"


def parse_address(text: Optional[str]) -> Optional[Address]:
    """'Flat 3, 22 Baker Street, London NW1 6XE' → Address; None if a part is missing.

    A usable address has a street line with a house number or name, a town or city and a
    postcode; anything less would send a parcel nowhere.
    """
    if not text or len(text) > MAX_ADDRESS_LENGTH:
        return None
    postcode = find_postcode(text)
    if postcode is None:
        return None
    without_postcode = re.sub(
        re.escape(postcode).replace(r"\ ", r"\s*"), "", text, flags=re.I
    )
    parts = [part.strip() for part in re.split(r"[,\n]", without_postcode) if part.strip()]
    if len(parts) < 2:
        return None
    city = parts[-1]
    line = ", ".join(parts[:-1])
    if not re.search(r"[A-Za-z]{2}", city) or re.search(r"\d", city):
        return None
    if not re.search(r"\d|[A-Za-z]{3}", line):
        return None
    return Address(line=line, city=city.title() if city.islower() else city, postcode=postcode)
