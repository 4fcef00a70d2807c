"""A correction of the 5W1H sheet that says the new value first and the old one after it:
"budget is 3k not 2k", "its 50 kettles not 40", "leeds, not york". The value read back is
changed where the old words stand, so the rest of the answer stays ("about 2k, net 30" →
"about 3k, net 30"); a correction that fits no field, or more than one, is left to be asked.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Dict, Optional, Tuple

_NEW_NOT_OLD = re.compile(
    # ("nearly, but the budget is actually 18k not 15k" replaced the whole How: a customer run)
    r"^\W*(?:(?:no|nope|sorry|oops|actually|wait|nearly|almost|close|mostly|yes|yeah|yep|ok|okay"
    r"|(?:all\s+)?good|right|correct|fine|but)\W+)*"
    r"(?:[^,;]{0,30}?\b(?:is|are|was|should\s+(?:be|say|read)|it'?s|its|it\s+is|they'?re|we'?re|we\s+are"
    r"|make\s+it|change\s+it\s+to|put)\s+)?"
    r"(?P<new>[^,;]+?)\s*,?\s+(?:not|rather\s+than|instead\s+of)\s+(?P<old>[^,;.!?]+?)"
    r"(?:\W+(?:actually|please|pls|thanks|thank\s+you|sorry|then|instead|mate))*[\s.!]*$",
    re.IGNORECASE)


def new_and_old(text: str) -> Optional[Tuple[str, str]]:
    """The new value and the old one a correction names ("its 50 kettles not 40" → ("50
    kettles", "40")), or None."""
    found = _NEW_NOT_OLD.match(" ".join((text or "").split()))
    if found is None:
        return None
    new, old = found.group("new").strip(" '\""), found.group("old").strip(" '\"")
    new = re.sub(r"\s+(?:now|instead|then)$", "", new, flags=re.IGNORECASE)  # "14 staff now not 12"
    # "the budget is actually 18k not 15k" made the How "budget around actually 18k" (a customer run)
    new = re.sub(r"^(?:(?:actually|really|now|meant\s+to\s+be|supposed\s+to\s+be)\s+)+", "", new, flags=re.IGNORECASE)
    return (new, old) if new and old and new.lower() != old.lower() else None


def corrected_sheet(sheet: Dict[str, Optional[str]], text: str,
                    field: Optional[str] = None) -> Optional[Tuple[str, str]]:
    """The field whose value holds the old words of `text`'s correction (only `field`, when
    the customer named one) and that value corrected; None when no one field holds them."""
    told = new_and_old(text)
    if told is None:
        return None
    new, old = told
    pattern = re.compile(rf"(?<!\w){re.escape(old)}(?!\w)", re.IGNORECASE)
    holding = [(name, str(value)) for name, value in sheet.items()
               if value and pattern.search(str(value)) and (field is None or name == field)]
    if len(holding) > 1:
        # "15 air purifiers not 12" with 12 purifiers and 12 staff: the field that has the
        # purifiers
        new_words, size = new.split(), len(old.split())
        around = [words for words in (new_words[size:], new_words[:-size]) if words]
        holding = [(name, value) for name, value in holding if any(_all_in(words, value) for words in around)]
    if len(holding) != 1:
        return None
    name, value = holding[0]
    return name, _replaced(value, new, old, pattern)


def _replaced(value: str, new: str, old: str, pattern: re.Pattern) -> str:
    """`value` with `old` replaced by `new`; where `new` goes on with words the value already
    has after `old` ("50 kettles" for "40" in "40 kettles for our cafes"), those are replaced
    with it, not repeated."""
    new_words, old_words = new.split(), old.split()
    tail = " ".join(new_words[len(old_words):])
    if tail:
        longer = re.compile(rf"(?<!\w){re.escape(old)}\s+{re.escape(tail)}(?!\w)", re.IGNORECASE)
        if longer.search(value):
            return longer.sub(lambda _: new, value, count=1)
        if _all_in(new_words[len(old_words):], value):
            # "50 kettles" for "40" in "40 Aurora kettles": the kettles are there already
            new = " ".join(new_words[:len(old_words)])
        elif _all_in(new_words[:-len(old_words)], value):
            # "40 toasters" for "kettles" in "40 Aurora kettles": so are the 40
            new = " ".join(new_words[-len(old_words):])
    return pattern.sub(lambda _: new, value, count=1)


def _all_in(words: list, value: str) -> bool:
    return all(re.search(rf"(?<!\w){re.escape(word)}(?!\w)", value, re.IGNORECASE) for word in words)


# (", and", "also"; and a plain "and" only before a new clause: "the date moved to the 19th and
# it's 60 purifiers now" is two corrections, "12 chairs and 12 lamps" one value)
_PARTS = re.compile(
    # (a sentence of its own: "Actually it's 42 chairs, not 40. And please add that the company
    # is …" kept the 42 and lost the company, a customer run)
    # (not after an abbreviation: "£8k budget incl. installation")
    r"(?<=[.!?])\s+(?=(?-i:[A-Z]))|"
    r"\s*(?:;|,?\s+and\s+also\s+|,\s*and\s+|,?\s+also\s+"
    r"|\s+and\s+(?=(?:it'?s|its|it\s+is|we'?re|we\s+are|they'?re|there'?s"
    # ("the where should say the Grand Hotel, Bath and the how should say £8,000": one Where)
    r"|the\s+\w+(?:\s+line)?\s+(?:is|are|moved|changed|should|needs)\b)))\s*",
    re.IGNORECASE)

# a date moved ("the party moved to the 19th", "the deadline's been pushed back to May"): the
# When is the new date (a customer run: the date was kept, or became "60 purifiers now")
_MOVED_TO = re.compile(
    r"\b(?:moved|pushed(?:\s+back)?|brought\s+forward|changed|put\s+back|rescheduled|postponed)"
    r"\s+(?:to|till|until)\s+(?P<new>[^,;.!?]+?)\s*(?:now|instead)?\s*[.!]*$", re.IGNORECASE)
# a new number of something the sheet already counts ("it's 60 purifiers now", "we're 14 staff
# now"): the number before those words changes where they stand
_NEW_COUNT = re.compile(r"(?<![\w£$€])(?P<count>\d[\d,]*)\s+(?P<thing>[a-z][a-z'-]{2,})", re.IGNORECASE)


def moved_date(text: str) -> Optional[Tuple[str, str]]:
    """("when", the new date) when the words say a date moved, else None."""
    found = _MOVED_TO.search(" ".join((text or "").split()))
    return ("when", found.group("new").strip(" '\"")) if found else None


def changed_count(sheet: Dict[str, Optional[str]], text: str) -> Optional[Tuple[str, str]]:
    """The field counting the thing a message gives a new number of, with the number changed
    ("it's 60 purifiers now" and "50 Breeze air purifiers" → "60 Breeze air purifiers"), or
    None when no field counts it, or the number is the same."""
    for told in _NEW_COUNT.finditer(text or ""):
        count, thing = told.group("count"), told.group("thing").lower().rstrip("s")
        for name, value in sheet.items():
            if not value:
                continue
            before = re.search(rf"(?<![\w£$€])(\d[\d,]*)((?:\s+[\w'-]+){{0,3}}?\s+{re.escape(thing)}s?)(?!\w)",
                               str(value), re.IGNORECASE)
            if before is not None and before.group(1) != count:
                return name, str(value)[:before.start(1)] + count + str(value)[before.end(1):]
    return None


def correction_parts(text: str) -> list:
    """A message correcting several fields, cut where each correction starts ("no its 35
    kettles not 30, and budget is 30 each")."""
    return [part for part in _PARTS.split(text or "") if part.strip()]


def replacement(sheet: Dict[str, Optional[str]], part: str,
                field: Optional[str] = None) -> Optional[Tuple[str, str]]:
    """The field one correction replaces a value of, with its new value: new words first, a
    date moved, a new count of something the sheet counts; only `field`, when one is named."""
    replaced = corrected_sheet(sheet, part, field)
    if replaced is None and field in (None, "when"):
        replaced = moved_date(part)
    if replaced is None:
        replaced = changed_count({field: sheet.get(field)} if field else sheet, part)
    return replaced


def replaces_a_value(sheet: Dict[str, Optional[str]], text: str) -> bool:
    """Whether some part of `text` replaces a value on the sheet (`replacement`)."""
    return any(replacement(sheet, part) is not None for part in correction_parts(text))


# an answer's own sentences and asides: "I just said, the library. oh and sorry it's 35 lamps
# not 30" (kept between the parts, so that an answer with no correction stays as it was)
_ANSWER_PARTS = re.compile(r"((?<=[.!?])\s+|\s*;\s*|\s*,?\s+oh\s+and\s+|\s*,?\s+(?:and\s+)?also\s+|\s*,\s+and\s+)",
                           re.IGNORECASE)
_ASIDE_OPENING = re.compile(r"^\W*(?:(?:oh|and|also|btw|by\s+the\s+way|ps)\W+)+", re.IGNORECASE)


def corrections_beside_an_answer(sheet: Dict[str, Optional[str]], text: str,
                                 asked: Optional[str]) -> Tuple[Dict[str, str], str]:
    """`_corrections_beside_an_answer`, read once a message: the form asks it for each of its
    six fields about the same message and sheet. The result is shared; read it, never change it."""
    return _corrections_beside_an_answer(tuple(sorted(sheet.items())), text, asked)


@lru_cache(maxsize=64)
def _corrections_beside_an_answer(sheet_items: Tuple[Tuple[str, Optional[str]], ...], text: str,
                                  asked: Optional[str]) -> Tuple[Dict[str, str], str]:
    """The fields answered before (not `asked`) that a part of an answer corrects, with
    their new values, and the answer without those parts. "I just said, the library. oh and
    sorry it's 35 lamps not 30" to the Why was kept whole as the Why, and the What stayed at
    30 lamps (a customer run)."""
    others = {name: value for name, value in sheet_items if name != asked and value}
    changes: Dict[str, str] = {}
    pieces = _ANSWER_PARTS.split(text or "")  # part, separator, part, ...
    kept: list = []
    for index in range(0, len(pieces), 2):
        told = _ASIDE_OPENING.sub("", pieces[index])
        replaced = (corrected_sheet(others, told) or changed_count(others, told)) if others and told else None
        if replaced is None:
            kept += ([pieces[index - 1]] if kept else []) + [pieces[index]]
            continue
        name, value = replaced
        changes[name] = others[name] = value
    return changes, ("".join(kept).strip() if changes else text)
