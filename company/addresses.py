"""Reads a UK delivery address typed in one line by a customer: alone, as the answer to
"what's the new delivery address?", or inside the request to change it."""

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


# words about the address before it, not a part of it ("my new house", "our new flat", "new
# address"); a house's own name has no digits either ("The Old Rectory") and stays
_SAID_OF_THE_ADDRESS = re.compile(
    r"^(?:my|our|the\s+new)\b[^\d]*$|^new\s+(?:address|house|home|flat|place)\W*$"
    r"|^(?:i|we)(?:'?ve|\s+have)\s+(?:just\s+)?moved\b[^\d]*$", re.IGNORECASE)
# chat words that come before an address without being a part of it: alone as the first part
# ("no, 8 Otley Road, Leeds LS6 3AA", a correction of the address read back, saved "no, 8
# Otley Road" as its street) or before the house number ("ok then 3 Jersey Road", "fine.
# 14 Mill Lane"); a "no" before the number is the number's own ("No. 5 Keep Lane")
_CHAT_WORD = (r"(?:sorry|oops|wait|actually|ok|okay|fine|alright|yes|yeah|yep|right|sure|then|so"
              r"|well|erm|um|please|pls|now|hang\s+on|i\s+mean|i\s+meant|it'?s|its|it\s+is"
              # "no wait, it should be 7 High St, …" was saved with "it should be" in its street
              r"|(?:it\s+)?should\s+(?:be|have\s+been)|make\s+it|(?:change|send)\s+it\s+to)\b\W*")
_CHAT_PART = re.compile(rf"^(?:(?:no|nope)\b\W*|{_CHAT_WORD})+$", re.IGNORECASE)
# a first part that speaks to us, with no number: "i already told u, Unit 4, Kirkstall Rd, Leeds
# LS3 1LH" was read back with "i already told u" as its first line (a customer run)
_TOLD_BEFORE = re.compile(r"^[^\d]*\b(?:i|u|you|we|told|said|already|again|thx|thanks|like)\b[^\d]*$",
                          re.IGNORECASE)
_ORDER_NUMBER = re.compile(r"\bHG-?\d{4,}\b", re.IGNORECASE)
_CHAT_BEFORE_NUMBER = re.compile(rf"^(?:{_CHAT_WORD})+(?=\d)", re.IGNORECASE)
# a question or exclamation of the customer's before the house number, in the same part: "i
# just told you?? 5 Park Row, Leeds, LS1 5HD" was read back with its "i just told you??", and
# "…to my work address instead? its 5 park row leeds LS1 5HD" was no address at all (a
# customer run)
# ... or a sentence of theirs ended with a full stop: "i just told you. 12 Park Road, Leeds LS6 3AB"
# was saved with "i just told you." in its street (a customer run); not "Apt. 4, 22 Baker St"
_SAID_BEFORE_NUMBER = re.compile(
    r"^[^\d]*[?!]+\s*(?:(?:it'?s|it\s+is|is)\s+)?(?=\d)"
    r"|^[^\d]*\b(?:i|u|you|we|told|said|already|again|thx|thanks)\b[^\d]*\.+\s*(?:(?:it'?s|it\s+is|is)\s+)?(?=\d)",
    re.IGNORECASE)


_SENTENCE_ENDS = " \t.!?;:"


def _as_written(postcode: str) -> "re.Pattern[str]":
    """The normalised `postcode` as a customer may write it (any case, any spacing)."""
    return re.compile(re.escape(postcode).replace(r"\ ", r"\s*"), re.IGNORECASE)


def _up_to_postcode(text: str, postcode: str) -> str:
    """`text` up to the end of its (last) postcode, where a UK address ends: after it came a
    sentence of its own ("27 King's Parade, Cambridge, CB2 1ST and can you upgrade it to next
    day delivery" was read back with "And Can You Upgrade It To Next Day Delivery" as its
    town) or the country ("…, LS6 2QT, United Kingdom" had "United Kingdom" as the town)."""
    found = list(_as_written(postcode).finditer(text))
    return text[:found[-1].end()] if found else text


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
    text = _up_to_postcode(text, postcode)
    without_postcode = _as_written(postcode).sub("", text)
    # the sentence's own stops are no part of it: "14 Mill Lane, Leeds, LS6 2QT." kept "." as
    # its city, and "Leeds LS6 2QT." "Leeds ."
    parts = [part.strip(_SENTENCE_ENDS) for part in re.split(r"[,\n]", without_postcode)]
    parts = [part for part in parts if part]
    while (len(parts) > 2 and _SAID_OF_THE_ADDRESS.match(parts[0])
           and any(re.search(r"\d", part) for part in parts[1:-1])):
        # "to my new house, 5 Rose Street, Birmingham B5 4BU" saved "my new house, 5 Rose Street"
        parts = parts[1:]
    while len(parts) > 2 and (_CHAT_PART.match(parts[0]) or _TOLD_BEFORE.search(parts[0])):
        parts = parts[1:]
    # an order's number is no part of an address ("for HG-100001, Its LS6 2QT" was read back as
    # an address to send the order to, a customer run)
    if any(_ORDER_NUMBER.search(part) for part in parts):
        return None
    if parts:
        parts[0] = _CHAT_BEFORE_NUMBER.sub("", _SAID_BEFORE_NUMBER.sub("", parts[0]))
    if len(parts) == 1:
        # no commas: "5 High St Oxford OX1 4AH" was refused as no full address; the town is
        # what follows the street's own word
        street = _STREET_LINE.match(parts[0])
        town = parts[0][street.end():].strip(_SENTENCE_ENDS) if street else ""
        if street and re.fullmatch(r"[A-Za-z' -]{2,40}", town):
            parts = [street.group().strip(_SENTENCE_ENDS), town]
    if len(parts) < 2:
        return None
    city = parts[-1]
    line = ", ".join(parts[:-1])
    if not re.search(r"[A-Za-z]{2}", city) or re.search(r"\d", city):
        return None
    if not re.search(r"\d|[A-Za-z]{3}", line):
        return None
    return Address(line=line, city=city.title() if city.islower() else city, postcode=postcode)


# what comes before a new address told in the request itself: "… to 22 Station Road,
# Cambridge, CB1 2JW", "… instead: 1 Wellington Street, Leeds, LS1 4DL"
_LEAD_IN = re.compile(r"(?:\bto\b|\bnew address(?: is)?\b|\baddress is now\b|:)\s*", re.IGNORECASE)
# the address named may be the one it goes to now, or a correction of a detail: not taken
_NOT_THE_NEW_ONE = re.compile(
    r"\b(?:old|current|previous|present)\s+address\b|\bat the moment\b|\binstead of\b"
    r"|\bfrom\b|\bwrong\b|\bshould be\b", re.IGNORECASE)


def address_in_request(text: str) -> Optional[Address]:
    """A full new address told with the request to change it, if any: the part between the
    last lead-in ("to", "is", a colon) and a postcode, when it reads as an address. The last
    postcode first; a postcode after the address is the order's, told as proof ("… to 12 Park
    Road, Leeds LS6 3AB? postcode on the order is LS6 2QT" had its new address asked again)."""
    text = text or ""
    if _NOT_THE_NEW_ONE.search(text):
        return None
    end = len(text)
    while (postcode := find_postcode(text[:end])) is not None:
        found = list(_as_written(postcode).finditer(text, 0, end))[-1]
        starts = [m.end() for m in _LEAD_IN.finditer(text, 0, found.end())]
        address = parse_address(text[starts[-1]:found.end()]) if starts else None
        if address is not None:
            return address
        end = found.start()
    return None


# what comes before the address in an answer to "what's the new delivery address?": "please
# send it to …", "it's …", "new address: …" (the words were saved as its street line)
_ANSWER_LEAD_IN = re.compile(r"(?:\bto\b|\bis\b|\bit'?s\b|\baddress\b|:"
                             # a word of agreement or thanks before it ("ok great. 22 Hyde Park
                             # Road, …" was read back with its "ok great.": a customer run)
                             r"|\b(?:ok|okay|great|thanks|thank\s+you|cheers|cool|sure|fine|perfect|lovely"
                             r"|brilliant|alright|yes|yeah|yep)\b[.!,]*)\s*", re.IGNORECASE)


def address_answer(text: Optional[str]) -> Optional[Address]:
    """The address in an answer to the address question, without the words before it: the
    part after the last lead-in that has no number before it ("22 Road to Nowhere" keeps its
    "to")."""
    text = text or ""
    starts = [m.end() for m in _ANSWER_LEAD_IN.finditer(text) if not re.search(r"\d", text[:m.start()])]
    return parse_address(text[starts[-1]:] if starts else text)


# a house number and a street ("it's 30 Hyde Park Road"): the part of an address a typo is
# most often corrected in, told without the rest
_STREET_LINE = re.compile(
    r"\b(?:flat\s+\w+,?\s+)?\d+[a-z]?\s+(?:[a-z'’.-]+\s+){0,4}"
    r"(?:road|rd|street|st|lane|ln|avenue|ave|close|drive|dr|way|place|pl|crescent|cres|court"
    r"|ct|terrace|grove|gardens|gdns|row|hill|park|square|sq|walk|mews|view|rise|green|parade"
    r"|wharf|yard|gate|mount|vale)\b\.?",
    re.IGNORECASE)


# words that say a detail read back is wrong
_CORRECTS = re.compile(
    r"\b(?:sorry|typo|oops|i\s+meant|meant|should\s+be|actually|wrong|wait|not|no|nope|it'?s|its|it\s+is"
    r"|correction|instead|mistake)\b", re.IGNORECASE)


# words that correct what was read back, not a yes with words in it ("yes it's right")
_CORRECTING = re.compile(
    r"\b(?:sorry|typo|oops|i\s+meant|meant|should\s+be|actually|wrong|wait|not|instead|mistake|correction"
    r"|make\s+it|change\s+it)\b", re.IGNORECASE)


def corrects_the_read_back(text: str) -> bool:
    """Whether words at "Just to check: send it to …?" correct the address, readable or not
    ("actually wait, can you make it flat 2 not 14, sorry": the question was asked again
    with the old address, and a "yes" would have sent the parcel there, a customer run)."""
    return _CORRECTING.search(text or "") is not None


def corrected_address(proposed: Address, text: str) -> Optional[Address]:
    """The address a customer means when they correct the one read back to them: a whole
    new address, or the proposed one with the street line ("sorry typo, it's 30 Hyde Park
    Road") or the postcode ("wait no the postcode is LS6 3AB") told again. None when the
    words correct nothing that can be read."""
    whole = address_answer(text)
    if whole is not None:
        return whole
    if not _CORRECTS.search(text or ""):
        # "yes, and if I'm out leave it with the neighbour at 5 Hyde Park Road" confirms
        return None
    street = _STREET_LINE.search(text or "")
    postcode = find_postcode(text or "")
    if street is None and postcode is None:
        return None
    line = street.group(0).rstrip(".").strip() if street else proposed.line
    return Address(line=line if not line.islower() else line.title(), city=proposed.city,
                   postcode=postcode or proposed.postcode)
