"""A change of the 5W1H sheet that adds to a line rather than replacing it: "can you add the
quantity to the what", "add 150 to the what", "the what should also say 150 units".

Read as a replacement, "can you add the quantity to the what" emptied the What, the form
asked it again, and "150" became the whole What: the product was lost (a customer run).
Here the words added join the line as it was, and a bare count joins a What that counted
nothing as its number ("150" and "Orbit Smart Speakers" → "150 Orbit Smart Speakers").
"""

from __future__ import annotations

import re
from typing import Optional

_FIELD = r"(?:what|why|when|where|who|how)"
_ADD_VERB = r"\b(?:add|adding|include|also\s+(?:say|says|put|mention|note|read))"
_ADDING = re.compile(_ADD_VERB + r"\b", re.IGNORECASE)
# what is added: the words after the verb, up to "to the what" (or the end)
_ADDED = re.compile(
    _ADD_VERB + r"\s*:?\s+(?:that\s+)?(?P<added>.+?)"
    r"(?:\s+(?:to|in|on|into|onto)\s+(?:the\s+)?" + _FIELD + r"\b.*)?[\s.!]*$",
    re.IGNORECASE)
# words that stand for what is still to be told ("add the quantity to the what")
_PLACEHOLDERS = frozenset({
    "it", "that", "this", "something", "more", "a bit", "some more", "the rest", "quantity",
    "the quantity", "qty", "the qty", "number", "the number", "the numbers", "amount",
    "the amount", "count", "the count", "how many", "the details", "details", "the number of them"})
# a count and nothing else ("150", "150 units", "about 150 of them")
_BARE_COUNT = re.compile(
    r"^\W*(?:about|around|roughly|approx(?:imately)?|~)?\s*(?P<count>\d[\d,]*)"
    r"(?:\s*(?:x|units?|pieces?|pcs|items?|of\s+them|in\s+total|total))?\W*$", re.IGNORECASE)
_ANY_COUNT = re.compile(r"\d")


def adds_to_a_line(text: str) -> bool:
    """Whether a change of the sheet asks to add to a line rather than replace it."""
    return _ADDING.search(text or "") is not None


def words_added(text: str) -> Optional[str]:
    """What a change that adds to a line tells to add ("add 150 to the what" → "150"), or None
    when it only says something is to be added ("can you add the quantity to the what")."""
    found = _ADDED.search(" ".join((text or "").split()))
    if found is None:
        return None
    added = found.group("added").strip(" ,;:'\"")
    if not added or added.lower() in _PLACEHOLDERS or re.fullmatch(_FIELD, added, re.IGNORECASE):
        return None
    return added


def with_added(field: str, line: str, added: str) -> str:
    """`line` with `added` joined on: a bare count before a What that counted nothing ("150
    Orbit Smart Speakers"), words it already holds not twice (part by part: "Bristol" and
    then "Bristol; 22 Quay St; BS1 4DB" read back "Bristol; Bristol; 22 Quay St; BS1 4DB", a
    customer run), anything else after a ";"."""
    added = " ".join(added.split())
    count = _BARE_COUNT.match(added)
    if field == "what" and count is not None and not _ANY_COUNT.search(line):
        return f"{count.group('count')} {line}"
    held = line.lower()
    new_parts = [part for part in (p.strip() for p in added.split(";")) if part and part.lower() not in held]
    return "; ".join([line, *new_parts])
