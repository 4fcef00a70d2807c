"""A reply to a yes/no question about a change ("Are you sure you want to cancel the whole
order?", "Shall I pass a warranty claim to our product team?"). Typed words often do not reach the affirm and deny intents ("actually no wait don't
cancel it" falls back, "yes cancel it" reads as the cancellation asked for again), and were
answered with "did you mean…?" or handed over; and the model reads a yes taken back ("yes...
no actually") as affirm, which cancelled the order. So the words decide, and the intent only
when they say neither (a button's payload).

A reply that says both, or neither, is unclear and the question is asked again: a change is
never made on a guess.
"""

from __future__ import annotations

import re
from typing import Optional

from handoff.hesitation import only_hesitates

# holding back: "don't cancel it", "leave it for now", "hold on", "I'll think about it"
_HOLD_BACK = re.compile(
    # (with the "ok" that takes the no in: "ok keep it then" was read as yes and no at once,
    # and the question asked twice more: a customer run)
    # ("ok fine, keep it open then" at the account's closure kept its "ok" and was asked again)
    r"(?:\b(?:ok(?:ay)?|fine|alright|right)\W+)*(?:"
    r"\b(?:(?:do|did)\s*n[o']?t|do not|not|never)\s+(?:cancel|do it|do that|go ahead|bother)\b"
    r"|\b(?:keep|leave)\s+(?:it|the order|my order|them|that)\b)"
    r"|\bhold\s+(?:on|off)\b"
    r"|^\W*(?:(?:no|oh|ah|er+m?|um+)\W+)*wait\b|\bthink about it\b|\bchanged? my mind\b"
    r"|\bnever\s*mind\b|\bnot (?:yet|now|sure)\b|\bforget it\b|\bscratch that\b"
    r"|\b(?:yeah|yea|ye)\W*nah\b"
    # the wrong order: "yes wrong order sorry, i meant my other one", "yes, not that one"
    r"|\bwrong (?:order|one)\b|\bnot (?:that|this) one\b|\b(?:my )?other one\b|\bhang on\b|\bi meant\b",
    re.IGNORECASE)
_YES = re.compile(
    r"\b(?:yes|yeah|yep|yup|yh|ye|sure|ok(?:ay)?|go ahead|please do|do it|confirm(?:ed)?|"
    r"definitely|absolutely|cancel it|cancel (?:the|my) order|correct|that'?s right"
    r"|no longer (?:need|want) (?:it|them|the order))\b",
    re.IGNORECASE)
_NO = re.compile(r"^\W*(?:no(?!\s+longer)|nope|nah|nay|don'?t)\b|\bno thanks?\b|\bplease don'?t\b"
                 r"|\b(?:no|nah|nope)\W*(?:actually|wait|sorry|then)?\W*$|\bactually,? no\b", re.IGNORECASE)
# a yes with a condition the change cannot meet: asked again
_CONDITION = re.compile(r"\b(?:if|but|only|unless|except|as long as|provided|tho|though)\b|\?",
                        re.IGNORECASE)


def confirmation_answer(text: str, intent: Optional[str] = None) -> Optional[bool]:
    """True for yes, False for no, None when unclear. The words decide: "yes... no actually"
    is read as affirm by the model but says both, and "yes if I get my money back today" or
    "yes but only the kettle" puts a condition the change cannot meet: both are asked again.
    Words that say neither (a button's payload, "/affirm") leave it to the intent; words that
    only hesitate ("hmm", "k?", "ok...") are unclear, whatever the intent."""
    if only_hesitates(text):
        return None
    rest = _HOLD_BACK.sub(" ", text)  # "don't cancel it" says no, not "cancel it"
    said_no = rest != text or _NO.search(text) is not None
    said_yes = _YES.search(rest) is not None
    if said_yes and (said_no or _CONDITION.search(rest)):
        return None
    if said_no:
        return False
    if said_yes:
        return True
    return {"affirm": True, "deny": False}.get(intent or "")


# a question asked instead of the answer ("where do I post it?", "what happens next?")
_QUESTION = re.compile(
    r"\?\s*$|^\W*(?:(?:ok|okay|so|and|but|um+|hmm+|right|well|then|wait|hang\s+on|hold\s+on|oh|sorry"
    r"|actually|btw|quick\s+question)\W+)*"
    # "ok whats the deadline exactly" (typed without the apostrophe) was kept as a return's reason
    r"(?:(?:what|where|how|when|who)(?:'s|s)\b"
    r"|(?:where|how|when|what|which|who|why|do|does|can|could|will|would|should|is|are|must)\b(?!\s*n?'t))",
    re.IGNORECASE)


def asks_a_question(text: str) -> bool:
    """Whether a reply where an answer was asked for is a question of its own."""
    return _QUESTION.search(text) is not None


_FIRST_SENTENCE = re.compile(r"\s*([^.!?]*)[.!?]*\s*(.*)$", re.DOTALL)
# a first sentence that is nothing but a yes ("yes", "yep perfect", "that's right")
_BARE_YES = re.compile(
    r"^\W*(?:(?:yes|yeah|yep|yup|yh|ye|sure|ok(?:ay)?|correct|perfect|great|lovely|brilliant|fine"
    r"|all\s+good|looks\s+good|spot\s+on|absolutely|definitely|that'?s\s+(?:right|correct|it|fine|great)"
    # ... with thanks ("yep thats it cheers", "all good cheers" were thanked, and nothing was
    # filed: a customer run); thanks alone is no yes (_ONLY_THANKS)
    r"|all\s+(?:correct|right)|looks\s+(?:right|fine|great)|sounds\s+good|bang\s+on|nice|excellent|good"
    r"|cheers|thanks|thank\s+(?:you|u)|ta|thx|ty|mate)\W*)+$",
    re.IGNORECASE)
_ONLY_THANKS = re.compile(r"^\W*(?:(?:cheers|thanks|thank\s+(?:you|u)|ta|thx|ty|mate|nice|good)\W*)+$", re.IGNORECASE)
# words after the yes that change what it agreed to ("yes. actually can you change the where")
_CHANGES = re.compile(r"\b(?:change|wrong|should\s+be|instead|actually|fix|update|mistake|typo|correct(?:ion)?\s+the)\b",
                      re.IGNORECASE)


def after_a_plain_yes(text: str) -> Optional[str]:
    """What follows a first sentence that is nothing but a yes ("yes. how long till someone
    gets back to me?" → "how long till someone gets back to me?"; "" for a yes alone), or
    None when the message does not open with one, or goes on to change what it agreed to
    ("yes. actually can you change the where to Leeds?"). For a question whose yes changes
    nothing risky (the 5W1H sheet): a question after the yes is no condition on it."""
    found = _FIRST_SENTENCE.match(text)
    if (found is None or not _BARE_YES.match(found.group(1)) or _ONLY_THANKS.match(found.group(1))
            or only_hesitates(text)):
        return None  # ("ok...", "okay...?" to the 5W1H sheet filed it: a customer run)
    rest = found.group(2).strip()
    if confirmation_answer(rest) is False or _CHANGES.search(rest):  # "yes... no actually"
        return None
    return rest
