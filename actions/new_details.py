"""The postcodes and email addresses a conversation told as something new, not as proof.

Every email and postcode in a message fills the slots the order check reads as proof of an
order. Some are not the customer's details on record: the postcode of a new delivery address
("can you change the delivery address to 14 Hill Street, Leeds LS2 9JT"), a new contact
email, the address an invoice should go to ("sent to my work email accounts@example.org").
Checked against the next order named, each was counted as a failed guess, and a customer who
typed nothing wrong was told their details did not match, then locked out of their own order
(a customer run: HG-100002 locked for a day). These prove nothing and are no guess.
"""

from __future__ import annotations

import re
from typing import Iterable, Set

from rasa_sdk import Tracker

from actions.tracker_reading import message_intent
from company.addresses import address_in_request
from company.identifiers import find_postcode, normalise_email, normalise_postcode

# the slots that hold a new detail the customer asked for
NEW_DETAIL_SLOTS = ("new_address", "new_contact_value")
# the requests whose "to …" names the new detail
CHANGE_INTENTS = frozenset({"change_address", "update_contact_details"})

_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
# an email named as where to send something: "send it to …", "sent to my work email …",
# "… instead", "email it to …"
_DESTINATION = re.compile(
    rf"\b(?:to|at|into)\s+(?:(?:my|our|the|a|this|another|other|a\s+different)\s+)?"
    rf"(?:(?:new|work|other|second|personal|business|office|company|different)\s+)?"
    rf"(?:(?:email|e-mail|mail|inbox|address)\s+)?(?:(?:address|account)\s+)?(?:which\s+is\s+|is\s+|:\s*)?({_EMAIL})"
    rf"|({_EMAIL})\s+instead\b",
    re.IGNORECASE)
_POSTCODE_AFTER_TO = re.compile(r"\bto\b[^.?!]*?\b([A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2})\b", re.IGNORECASE)


def told_as_new(tracker: Tracker) -> Set[str]:
    """The postcodes and emails (normalised) this session told as a new address, a new
    contact detail or a destination, in its messages or in the slots of a change."""
    found: Set[str] = set()
    for event in reversed(tracker.events):
        kind = event.get("event")
        if kind == "session_started":
            break
        if kind == "slot" and event.get("name") in NEW_DETAIL_SLOTS and event.get("value"):
            found |= _details_in(str(event["value"]))
        elif kind == "user":
            found |= new_in_message(str(event.get("text") or ""), message_intent(event))
    latest = tracker.latest_message or {}
    found |= new_in_message(str(latest.get("text") or ""), (latest.get("intent") or {}).get("name"))
    for name in NEW_DETAIL_SLOTS:
        value = tracker.get_slot(name)
        if value:
            found |= _details_in(str(value))
    return found


def new_in_message(text: str, intent: object = None) -> Set[str]:
    """The details one message names as new: a new address told with its request, a postcode
    or email after "to" in a request to change one, an email to send something to."""
    found: Set[str] = set()
    told = address_in_request(text)
    if told is not None and told.postcode:
        found |= _normalised([told.postcode])
    if intent in CHANGE_INTENTS:
        found |= _normalised(_POSTCODE_AFTER_TO.findall(text))
        found |= _normalised(re.findall(rf"\bto\b[^.?!]*?({_EMAIL})", text, re.IGNORECASE))
    found |= _normalised(a or b for a, b in _DESTINATION.findall(text))
    return found


def is_told_as_new(claim: str, new: Set[str]) -> bool:
    return bool(_normalised([claim]) & new)


def _details_in(value: str) -> Set[str]:
    postcode = find_postcode(value)
    return _normalised([postcode, *re.findall(_EMAIL, value)])


def _normalised(values: Iterable[object]) -> Set[str]:
    found: Set[str] = set()
    for value in values:
        text = str(value or "")
        normal = normalise_postcode(text) or normalise_email(text)
        if normal:
            found.add(normal)
    return found
