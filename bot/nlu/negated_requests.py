"""A request said not to be meant is not the request: "please dont cancel HG-100005, i just
want to know when it ships" read as a cancellation got the cancellation question, and "I
don't want to unsubscribe, I want MORE emails - sign me up for the newsletter" unsubscribed
the customer (a customer run: six of nine such messages went wrong). The words of a request
weigh more than the "don't" before them, so the model reads the request.

`negated` says whether a message says not to do what its intent does: a "don't", "do not",
"no need to" or "never" a few filler words before the request's own words ("dont cancel",
"don't want to unsubscribe", "i dont need a refund"), or "not" before what the request is
about ("unsubscribe from harbor club not the newsletter"). `parts` cuts such a message where
another request may start (a comma or full stop, "but", "just", "only", "instead", "I want"),
so that the part the customer does want is read on its own (bot/nlu/fallback.py); when no
part asks for something else, the customer is asked, and never offered the negated request.
"""

from __future__ import annotations

import re
from typing import Dict, List, Pattern

from company.identifiers import find_order_numbers

# a "don't" before a verb; "not" alone is no such cue ("it's not refunded yet" asks for one)
# ("you never emailed me the invoice" complains that it was not done: "never" only in "I
# never asked to be …"; a review)
_DO_NOT = (r"(?:\bdon'?t|\bdont|\bdo\s+not|\bno\s+need\s+to|\bnever\s+asked\s+(?:to\s+be|for|you\s+to)"
           r"|\b(?:i'?d|i\s+would)\s+rather\s+not)")
# words of the verb phrase between the cue and the request's verb ("don't want to", "dont
# need a"): never an object or an adverb of its own ("i dont want it anymore please cancel it"
# asks for the cancellation; a review)
_BETWEEN = (r"(?:\s+(?:want|wanna|need|mean|meant|ask|asking|asked|to|try|trying|going|gonna|actually|really|even"
            r"|ever|be))*?(?:\s+(?:a|an|the|my|any))?")
# "not" before what the request is about ("not the newsletter"), or "no … needed" after it
_NOT_THE = r"\bnot\s+(?:the\s+|my\s+|your\s+|ur\s+|a\s+|an\s+)?"
_NOT_NEEDED = r"\s+(?:needed|necessary|required|wanted)\b"
# stopping the newsletter, its way of saying it ("don't stop sending me the newsletter")
_UNSUBSCRIBING = (r"(?:unsub\w*|opt\w*\s+out|stop\w*\s+(?:sending\s+(?:me\s+)?)?(?:the\s+|my\s+|your\s+|ur\s+)?"
                  r"(?:newsletters?|e-?mails?|offers))")

# intent → (its verbs, what it is about); only the intents that do something on a word
_REQUESTS: Dict[str, tuple] = {
    "cancel_order": (r"cancel\w*", None),
    "newsletter_unsubscribe": (_UNSUBSCRIBING, r"(?:newsletters?|marketing\s+emails?)"),
    # "I don't want to unsubscribe, sign me up" read as stopping the follow-ups
    "stop_contact": (_UNSUBSCRIBING, None),
    "newsletter_subscribe": (r"(?:subscri\w*|sign\w*\s+(?:me\s+)?up)", r"newsletters?"),
    "refund_status": (r"refund\w*", r"refunds?"),
    "request_invoice": (r"(?:(?:send|email|e-mail)\w*\s+(?:me\s+|it\s+)?(?:the\s+|an?\s+|my\s+)?(?:invoice|receipt|it)"
                        r"|invoices?|copy\s+of\s+the\s+invoice)", r"invoices?"),
    "start_return": (r"(?:return\w*|send\w*\s+(?:it|them|\w+)\s+back)", None),
    "reset_password": (r"(?:reset\w*|(?:send|email)\w*\s+(?:me\s+)?(?:a\s+)?(?:password\s+)?reset)", r"password\s+reset"),
    "change_address": (r"chang\w*\s+(?:the\s+|my\s+|its\s+)?(?:delivery\s+|shipping\s+)?address", None),
    # "not a human please, just the tracking", "i dont want a person, i just want to know where
    # it is": handed to a person (3 of 3 in a customer run, at the order's proof)
    # ("please dont pass me to an agent i just need the tracking", "please don't transfer me to
    # anyone": 5 of 8 wordings in a later run)
    "request_human": (r"(?:(?:(?:talk|speak|chat)\w*\s+(?:to|with)|(?:pass|put|transfer|hand|send|connect)\w*"
                      r"\s+(?:me\s+)?(?:on\s+|over\s+|through\s+)?(?:to|with))\s+(?:a\s+|an\s+|the\s+)?)?"
                      r"(?:human|person|agent|real\s+person|some\s*(?:one|body)|any\s*(?:one|body))s?",
                      r"(?:human|person|agent|real\s+person)s?"),
}
# (a closure said not to be meant is read by its own flow, actions/erasure.py)


def _verb_negated(verbs: str) -> Pattern[str]:
    return re.compile(rf"{_DO_NOT}{_BETWEEN}\s+{verbs}\b", re.IGNORECASE)


def _object_negated(about: str) -> Pattern[str]:
    return re.compile(rf"{_NOT_THE}{about}\b|\bno\s+{about}{_NOT_NEEDED}"
                      rf"|\bnever\s*mind\s+(?:about\s+)?(?:the\s+|my\s+)?{about}\b", re.IGNORECASE)


# "no agents pls, whats ur returns policy": "no" before a person is enough (not before a refund:
# "no refund yet!" asks for one)
_NO_PERSON = re.compile(r"^\W*(?:no|nope|nah)\s+(?:human|person|agent|real\s+person)s?\b"
                        r"|\b(?:no|without)\s+(?:a\s+)?(?:human|person|agent)s?\s+(?:pls|please|thanks|needed|necessary)\b",
                        re.IGNORECASE)


# the request's verb said not to be meant ("dont cancel HG-…"), and what it is about ("not the
# newsletter"): another part asking for the same request is read only after the first
_VERB_NEGATED: Dict[str, Pattern[str]] = {intent: _verb_negated(verbs) for intent, (verbs, _) in _REQUESTS.items()}
_OBJECT_NEGATED: Dict[str, Pattern[str]] = {intent: _object_negated(about)
                                            for intent, (_, about) in _REQUESTS.items() if about}
# where another request may start: punctuation, or a word that turns to it
_TURN = re.compile(r"\s*[,.;!?]+\s*|\s+[-\u2013\u2014]+\s+"
                   r"|(?<!\bi)(?<!\bi'd)(?<!\bid)\s+(?=(?:but|just|only|instead|rather|i\s+want|i\s+just|i\s+only|i\s+need|i\s+meant|i\s+mean)\b)"
                   r"|(?<=\w)\s+(?=not\s+(?:the|my|your|ur|a|an)\s)", re.IGNORECASE)
# a part read as one of these is no request of its own ("wait no", "ok so")
NOT_A_REQUEST = frozenset({"affirm", "deny", "inform"})
# how sure the model must be of a part's request ("please don't cancel HG-…, I still want it"
# read "I still want it" as a product question and listed the products)
PART_CONFIDENCE = 0.8
# a message cut into more parts is not read part by part (each costs a parse)
MAX_PARTS = 4


# "why don't you cancel my order" asks for it
_WHY_BEFORE = re.compile(r"\bwhy\s*$", re.IGNORECASE)
# "I'm not a newsletter person, unsubscribe me": "not" before the newsletter says nothing of
# the request
_NOT_A_KIND_OF = re.compile(r"\s+(?:person|people|fan|type|kind)\b", re.IGNORECASE)


def _said_not(pattern: Pattern[str], text: str) -> bool:
    text = text.replace("\u2019", "'")  # "don’t", as phones type it
    for found in pattern.finditer(text):
        if _WHY_BEFORE.search(text[:found.start()]) or _NOT_A_KIND_OF.match(text[found.end():]):
            continue
        return True
    return False


def negated(text: str, intent: str) -> bool:
    """Whether `text` says not to do what `intent` does."""
    return negated_verb(text, intent) or any(
        _said_not(pattern, text) for pattern in (_OBJECT_NEGATED.get(intent),) if pattern is not None
    ) or (intent == "request_human" and _NO_PERSON.search(text) is not None)


def negated_verb(text: str, intent: str) -> bool:
    """Whether `text` says not to do what `intent` does by its verb ("dont cancel HG-…"), so
    that another part may still ask for it ("…, cancel HG-100006 instead")."""
    pattern = _VERB_NEGATED.get(intent)
    return pattern is not None and _said_not(pattern, text)


# a closure said not to be wanted, which its own flow reads when it is the request
# (actions/erasure.py), but which is never another task to offer
_CLOSURE_UNWANTED = re.compile(rf"{_DO_NOT}{_BETWEEN}\s+(?:close|delete|erase|remove|cancel)\w*\s+(?:my\s+|the\s+)?"
                               r"(?:\w+\s+)?account\b", re.IGNORECASE)


def said_not_wanted(text: str, intent: str) -> bool:
    """Whether `text` says not to do what `intent` does, a closure included."""
    return negated(text, intent) or (intent == "close_account" and _said_not(_CLOSURE_UNWANTED, text))


def names_another_order(part: str, whole: str) -> bool:
    """Whether `part` names an order that the rest of `whole` does not."""
    named = set(find_order_numbers(part))
    return bool(named) and not named <= set(find_order_numbers(whole.replace(part, " ")))


def negates_any(text: str) -> bool:
    """Whether `text` says not to do any of the requests that do something on a word."""
    return any(negated(text, intent) for intent in _REQUESTS)


# a part that is only the word that turned ("i dont need a refund but i just want…")
_TURN_WORDS = frozenset({"but", "just", "only", "instead", "rather", "so", "and"})


def parts(text: str) -> List[str]:
    """`text` cut where another request may start; [] when it is one part or too many."""
    cut = [part.strip() for part in _TURN.split(text)
           if part and part.strip() and part.strip().lower() not in _TURN_WORDS]
    return cut if 1 < len(cut) <= MAX_PARTS else []
