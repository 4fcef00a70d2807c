"""A message in several clauses, each also read on its own: "Good morning, I hope you're well.
Do you deliver to Portugal?" or "My husband asked me to ask you this: how can I pay?".

Read whole, the greeting or the preamble dilutes the question and the message falls back;
read clause by clause, one clause is the question and the others are pleasantries. The
clauses are split where the punctuation says a new one starts (a full stop, question or
exclamation mark, semicolon or colon followed by a space, or a spaced dash), and before a
question joined on with "and", "also" or "btw" ("NW1 6XE and what are your opening hours?"). A clause that
ends with a colon, or a short one before a dash ("quick one - …"), only announces what
follows: it is a preamble, not a request. Before one request it is read too, to tell a
preamble that names the topic ("Question about returns: how long do I have?") from one that
says nothing a topic reads and only dilutes the request (`request_after_preambles`).

`ClauseSplitter`, first in the pipeline, adds each readable clause of such a message to the
list the pipeline processes, as a companion message that every component reads like any
other. `CalibratedFallbackClassifier` (bot/nlu/fallback.py), last, reads the companions when
the whole message falls back (`single_request` decides) and removes them, so that the
pipeline returns exactly the messages it was given.

A message that asks one of the frequent questions beside something else ("fine. LS6 2QT.
also do u deliver on saturdays?") is answered in full: `second_request` finds the question,
the fallback marks it in the parse output (`ALSO_ASKED`: the question's clause and the rest
of the message), and the gateway's channel (bot/channels/second_requests.py) has the rest
read and answered first, then the question. Read whole, such a message got one answer and
lost the other part (here the postcode the form had asked for).

Measured (`make eval`, 2026-12-04): eight more noisy questions right at once, none of
Banking77's questions changed to a wrong topic; a Banking77 message in several sentences
("I made a transfer 12 hours ago. Why is it still pending?") keeps falling back, because its
first sentence is no pleasantry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.constants import INTENT_MESSAGE_PREFIX
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.negated_requests import names_another_order, negates_any, parts
from bot.nlu.source_fingerprint import SourceFingerprinted

# on a message: its companions (never in the parse output); on a companion: True
CLAUSES = "clauses"
COMPANION = "clause_companion"
# on a message whose one readable clause follows preambles: the preambles read on their own,
# as companions (`request_after_preambles`)
PREAMBLES = "preambles"
# on a companion: its clause as written; its text is the clause as read (`as_read`)
CLAUSE_TEXT = "clause_text"
# in the parse output, when the intent is a clause's: that clause
READ_CLAUSE = "read_clause"
# in the parse output, when other tasks are asked for beside the one the message is read as:
# {"others": [{"text": a clause, "intent": its intent}, …], "rest": the message without them}
ALSO_REQUESTED = "also_requested"
# on a message that says not to do a request: its parts read on their own
# (bot/nlu/negated_requests.py), as companions
NEGATION_PARTS = "negation_parts"
# in the parse output, when a frequent question stands beside something else:
# {"text": its clause, "intent": its intent, "rest": the message without it}
ALSO_ASKED = "also_asked"

# the punctuation after which a clause ends (kept with it), a spaced dash between two, or a
# question joined on with "and", "also" or "btw" ("NW1 6XE and what are your opening hours?",
# "m3 4lq, also r u open sunday": the question was lost in the answer beside it)
# "plus" that names the plan is no joiner: "if i cancel plus do i lose the extra warranty year"
# was split into "if i cancel" (the changes an order allows) and the warranty (a customer run)
_PLUS = (r"(?<!\bcancel\s)(?<!\bcancelled\s)(?<!\bcanceled\s)(?<!\bcancelling\s)(?<!\bcanceling\s)(?<!\bjoin\s)"
         r"(?<!\bjoining\s)(?<!\bto\s)(?<!\bon\s)(?<!\bget\s)(?<!\bthe\s)(?<!\bclub\s)(?<!\bwith\s)(?<!\bfor\s)"
         r"(?<!\bmy\s)(?<!\bend\s)(?<!\bquit\s)(?<!\bleave\s)(?<!\bfrom\s)(?<!\bdrop\s)(?<!\bstop\s)(?<!\bharbor\s)plus")
_JOINED_QUESTION = (rf"(?:and\s+also|and\s+btw|and|also|{_PLUS}|btw|oh\s+and|n|&)\s+(?:what|whats|what's|wat|wats|wot|where|when"
                    r"|how|why|who|which|do|does|did|can|could|will|would|is|are|r|u|any|tell\s+me|let\s+me\s+know)\b")
# ... or a question after a comma ("i want to send back HG-…, how long does the refund take?":
# the return was lost to the refund's help article); the clause before keeps its comma, and
# one of fewer than `_COMMA_CLAUSE_WORDS` words ("sorry,", "ok so,") stays with the question
_COMMA_QUESTION = r"(?:how|what|whats|what's|when|where|why|which|do|does|can|could|will|would|is|are)\s+\w"
_COMMA_CLAUSE_WORDS = 4
# ... or a task joined on the same way ("cancel HG-100005 and delete my account please",
# "unsubscribe me from emails and also delete my account": the second was dropped in 13 of
# 21 such messages in a customer run)
_JOINED_TASK = (rf"(?:and\s+also|and\s+then|and|also|{_PLUS})\s+(?:(?:pls|please|plz|can\s+(?:you|u)|could\s+(?:you|u)"
                r"|i\s+(?:also\s+)?(?:want|need|would\s+like|wanna)(?:\s+to)?|to)\s+)*"
                r"(?:(?:cancel|delete|close|unsubscribe|unsub|subscribe|sign\s+me\s+up|(?:take|get)\s+me\s+off|send|change|update|return"
                r"|reset|erase|remove|track|e-?mail)\b"
                # "… and i also need an invoice for HG-…": each order was offered for the first
                # task, and the second was lost (4 of 4 in a customer run)
                # ("can i return HG-… and also get an invoice" was read as the invoice alone, the
                # return dropped: a customer run)
                r"|(?:(?:get|have|receive|request)\s+)?(?:an?|the|my)\s+(?:invoice|receipt|refund"
                r"|copy\s+of\s+the\s+invoice)\b)")
# ... and before the postcode or email told at the end of a request, after a comma or with
# its name ("return HG-… pls, M3 4LQ" and "… please, postcode M3 4LQ" were read whole as the
# detail told, or fell back: 6 messages in a customer run), so that the request is read
_IDENTIFIER = r"(?:[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}|[\w.%+'-]+@[\w-]+(?:\.[\w-]+)*\.[A-Z]{2,})"
_DETAIL_NAMED = r"(?:(?:my|the|and)\s+)?(?:post\s*code|e-?mail(?:\s+address)?)(?:\s+is)?\s*:?\s*"
_DETAIL_END = r"\s*(?:[.!?;]+(?:\s|$)|$)"
_TRAILING_DETAIL = rf"(?:{_DETAIL_NAMED})?{_IDENTIFIER}{_DETAIL_END}"
_DETAIL_CLAUSE = re.compile(rf"^{_TRAILING_DETAIL}", re.IGNORECASE)
# ... and before the number of a question in a list ("1) how long is the warranty on the
# atlas chair 2) can I pay with a gift card and paypal together 3) do you have a shop in
# manchester" got the chair's assembly article alone: a customer run)
_LIST_NUMBER = r"\(?\d{1,2}[.)]\s+(?=[a-z])"
_BOUNDARY = re.compile(rf"(?<=[.!?;:])\s+|(?<=[^\d\s£$€])\s+(?={_LIST_NUMBER})|(?<=\S)(\s+[-\u2013\u2014]+)\s+"
                       rf"|(?<=\w)(?<!\band)(?<!\boh),?\s+(?={_JOINED_QUESTION}|{_JOINED_TASK})"
                       rf"|(?<=\w,)\s+(?={_COMMA_QUESTION})"
                       rf"|(?<=\w,)\s+(?={_TRAILING_DETAIL})"
                       rf"|(?<=\w)(?<!\bmy)(?<!\bthe)(?<!\band)\s+(?={_DETAIL_NAMED}{_IDENTIFIER}{_DETAIL_END})",
                       re.IGNORECASE)
# the word that joined a clause on, which is not part of what the clause asks: "and also
# where is it?" fell back (order_status 0.39), where "where is it?" is read (0.88)
_JOINER = re.compile(r"^(?:and\s+also|and\s+then|and\s+btw|oh\s+and|and|also|plus|btw|n|&)[\s,]+(?=\S)", re.IGNORECASE)
_LISTED = re.compile(rf"^{_LIST_NUMBER}", re.IGNORECASE)
_NUMBER_ONLY = re.compile(r"^\(?\d{1,2}[.)]$")
# "tell me" before a question joined on: "… n tell me where it is" fell back ("where it is": order_status)
_TELL_ME = re.compile(r"^(?:(?:can|could|would)\s+(?:you|u)\s+)?(?:tell\s+me|let\s+me\s+know)\s+(?=(?:where|when|how|what|if|whether)\b)",
                      re.IGNORECASE)
# the question inside "tell me …" in the order a question is asked: "… n tell me where it is"
# still fell back read as "where it is" (order_status 0.48), where "where is it" is read (0.75)
_EMBEDDED = re.compile(r"^(?P<asks>where|when|what|why|which|how(?:\s+(?:long|much|many|soon))?|if|whether)\s+"
                       r"(?P<subject>it|they|this|that|these|those|he|she|(?:my|the|your|our|this|that)(?:\s+[\w-]+){1,3}?)\s+"
                       r"(?P<verb>is|are|was|were|will|would|can|could|should|has|have|had)\b", re.IGNORECASE)
# a clause that only opens a request, split from it by the word that joins a task on
_ASKING_ONLY = re.compile(r"^\W*(?:(?:can|could|would|will)\s+(?:you|u)|please|pls|plz|i\s+want\s+to|i\s+need\s+to)\W*$",
                          re.IGNORECASE)
# at most this many words before a dash make a preamble ("quick one -", "one more thing -");
# a longer clause before a dash says something ("I ordered a lamp - it arrived broken")
_DASH_PREAMBLE_WORDS = 3
# a message of more readable clauses is not split: a greeting, the request and thanks are
# three, and each clause costs a parse ("a. a. a. …" in 4,000 characters would cost 1,300)
MAX_READ_CLAUSES = 4


@dataclass(frozen=True)
class Clause:
    text: str
    preamble: bool


def split_clauses(text: str) -> List[Clause]:
    """The clauses of `text`, or [] when it is one clause."""
    pieces = _BOUNDARY.split(text)
    clauses: List[Clause] = []
    # the split alternates a clause and the dash after it (None where the boundary was a stop)
    for index in range(0, len(pieces), 2):
        clause = (pieces[index] or "").strip()
        if not clause or _NUMBER_ONLY.match(clause):
            continue
        dash_follows = index + 1 < len(pieces) and bool((pieces[index + 1] or "").strip())
        preamble = clause.endswith(":") or (dash_follows and len(clause.split()) <= _DASH_PREAMBLE_WORDS)
        if clauses and not _DETAIL_CLAUSE.match(clause) and (_ASKING_ONLY.match(clauses[-1].text) or (
                clauses[-1].text.endswith(",") and len(clauses[-1].text.split()) < _COMMA_CLAUSE_WORDS)):
            # "can you | also send me the invoice" is one request; so is "sorry, | how do i …"
            clause, preamble = f"{clauses.pop().text} {clause}", False
        clauses.append(Clause(clause, preamble))
    return clauses if len(clauses) > 1 else []


def as_read(clause: str) -> str:
    """A clause without the word that joined it on ("and also where is it?" → "where is
    it?"): what is classified, and what is answered when it is asked second."""
    joined = _JOINER.sub("", _LISTED.sub("", clause, count=1), count=1)
    # (a clause's own "can u tell me where HG-… is" keeps its words, which its button shows)
    if joined == clause:
        return joined
    asked = _TELL_ME.sub("", joined, count=1)
    return asked if asked == joined else _as_asked(asked)


def _as_asked(embedded: str) -> str:
    """The question a "tell me …" clause holds, in the order it is asked: "where it is" →
    "where is it", "if it has shipped" → "has it shipped"."""
    found = _EMBEDDED.match(embedded)
    if not found:
        return embedded
    asks = "" if found["asks"].lower() in ("if", "whether") else f"{found['asks']} "
    return f"{asks}{found['verb']} {found['subject']}{embedded[found.end():]}"


def single_request(intents: Sequence[str], pleasantries: frozenset, not_requests: frozenset) -> Optional[int]:
    """The index of the one clause that asks something, when every other clause is a
    pleasantry (a greeting, thanks, a goodbye); None when no clause, or more than one,
    could be the request, or when it is not understood (`not_requests`: the fallback, out
    of scope)."""
    others = [i for i, intent in enumerate(intents) if intent not in pleasantries]
    if len(others) != 1 or intents[others[0]] in not_requests:
        return None
    return others[0]


def request_after_preambles(preambles: Sequence[str], intents: Sequence[str], read: Optional[str],
                            says_nothing: frozenset) -> Optional[int]:
    """The index of the one clause a message asks when what comes before it only announces it
    and no topic reads it (`preambles`, their intents; `says_nothing`: the fallback, out of
    scope, the pleasantries): "My grandson set this computer up for me and told me to type my
    question in here: take my email off your marketing list" was read whole as a sign-up to
    the newsletter (0.57), its clause alone as the stop it asks for (0.99). None when a
    preamble reads as a topic ("Question about returns: how long do I have?" is about
    returns), the clause is not understood or it reads as the whole (`read`) does."""
    if not preambles or len(intents) != 1 or not set(preambles) <= says_nothing:
        return None
    return None if intents[0] in says_nothing or intents[0] == read else 0


def first_of_two_tasks(intents: Sequence[str], tasks: frozenset, do_first: frozenset,
                       not_requests: frozenset) -> Optional[int]:
    """The index of the clause to do first when a message that falls back whole asks for two
    tasks (`tasks`) of different kinds, every clause understood ("can u cancel HG-…, also when
    will I get the money back for it": both were lost); one in `do_first` goes first. None
    otherwise: one task is single_request's, a clause not understood leaves the fallback."""
    asked = [i for i, intent in enumerate(intents) if intent in tasks]
    if len({intents[i] for i in asked}) < 2 or any(intent in not_requests for intent in intents):
        return None
    return next((i for i in asked if intents[i] in do_first), asked[0])


def task_beside_asides(intents: Sequence[str], tasks: frozenset, asides: frozenset,
                       pleasantries: frozenset) -> Optional[int]:
    """The index of the one clause that asks for a task (`tasks`) when every other clause is an
    aside (`asides`: a feeling) or a pleasantry and at least one is an aside ("bloody useless company. just
    cancel my order HG-…!!": read whole, a complaint, and the cancellation waited for a person
    until Monday); None otherwise. The feeling is acknowledged (handoff.escalation). With
    details told for the task as the asides ("Good afternoon. Could you tell me where
    order HG-… is? Postcode is LS62QT", read whole as the postcode told: the tracking was put
    off behind a button, a customer run), the same holds for them."""
    asked = [i for i, intent in enumerate(intents) if intent in tasks]
    rest = [intent for i, intent in enumerate(intents) if i not in asked]
    if len(asked) != 1 or not rest or not set(rest) <= asides | pleasantries or not set(rest) & asides:
        return None
    return asked[0]


# the customer's own plan to phone, beside a question about when or how ("are you open on
# sundays? I want to call"): no request for a person here (read as one, it handed the
# customer over and the opening hours were never given, 2 of 3 in a customer run)
_PLANS_TO_CALL = re.compile(
    r"^\W*(?:so\s+|because\s+|as\s+)?i\s*(?:'d|would|'ll|will|am|'m|can|could)?\s*(?:want|need|like|wanna|going|gonna|try|trying)?"
    r"\s*(?:to\s+)?(?:call|ring|phone)(?:\s+(?:you|u|them|up|the\s+shop|your\s+team))?(?:\s+(?:then|later|tomorrow))?\W*$",
    re.IGNORECASE)


def second_request(intents: Sequence[str], asides: frozenset, not_requests: frozenset,
                   answer_beside: frozenset, texts: Sequence[str] = ()) -> Optional[int]:
    """The index of the clause that asks a frequent question (`answer_beside`) beside another
    request, so that both are answered; None when there is no such question, or nothing but
    asides (pleasantries, a feeling told with the question: "this is ridiculous. do you
    deliver to france?" is answered whole, the feeling first), the same question or clauses
    not understood (`not_requests`) beside it, or the customer's plan to phone (`texts`, the
    clauses' words). Of two such questions the last is answered second; one that names nothing
    of its own after another is part of that one ("do u ship to ireland and how much" answered
    the delivery, then asked which product "how much" meant: a customer run)."""
    part_of_one = {i for i, intent in enumerate(intents) if i < len(texts) and about_the_same(texts[i])
                   and any(earlier in answer_beside for earlier in intents[:i])}
    asked = [i for i, intent in enumerate(intents) if intent in answer_beside and i not in part_of_one]
    if not asked:
        return None
    question = asked[-1]
    beside = [intent for i, intent in enumerate(intents) if i != question and i not in part_of_one
              and intent not in asides and intent not in not_requests
              and intent != intents[question]
              and not (i < len(texts) and _PLANS_TO_CALL.match(texts[i]))]
    return question if beside else None


# a question about the thing asked just before, naming nothing of its own ("how much is delivery
# to ireland and how long does it take??" answered the delivery, then quoted the refunds article
# for "how long does it take": a customer run)
_ABOUT_THE_SAME = re.compile(
    r"^\W*(?:(?:and|also|so|but|plus|n|&)\s+)*(?:how\s+(?:long|much|many|soon|quick(?:ly)?|fast)|what|whats|what's|when"
    r"|is|are|does|do|will|would|can|could)\b"
    r"(?:\s+(?:does|do|is|are|will|would|it|that|this|they|them|there|take|takes|cost|costs|be|come|arrive|get"
    r"|much|long|free|charge|usually|normally|roughly|about|for|to|me|you|u|i|we|the|a|an|each|one|way|extra"
    r"|then|too|as\s+well|anything|much"
    # ... and whether the assistant is there then ("and on sunday? can i still chat with you" got
    # the privacy article for its second clause: a customer run)
    r"|still|chat|talk|speak|with|reach))*\W*$", re.IGNORECASE)


def about_the_same(clause: str) -> bool:
    """Whether a clause asks about the thing the message asked about before it, naming nothing
    of its own: part of that question, not one of its own."""
    return _ABOUT_THE_SAME.match(clause or "") is not None


def help_question_beside(intents: Sequence[str], read: Optional[str], answer_beside: frozenset,
                         not_requests: frozenset, answered_by_help: Sequence[bool],
                         pleasantries: frozenset = frozenset()) -> Optional[int]:
    """The index of a clause that no topic reads (`not_requests`) but a help article answers
    (`answered_by_help`), beside the frequent question the whole message is read as, so that
    both are answered: "cost to ireland. also do you do gift wrapping" got the delivery costs
    alone, and the gift wrapping was never mentioned (a customer run). The last such clause.
    The rest is read again on its own, so it may be a request the whole is not read as: "do
    you do gift wrapping and when would it arrive if i order today" (the whole a delivery
    question, its second clause an order's status) got the delivery answer alone."""
    if read not in answer_beside:
        return None
    found = [i for i, intent in enumerate(intents)
             if intent in not_requests and i < len(answered_by_help) and answered_by_help[i]]
    if not found:
        return None
    rest = [intent for i, intent in enumerate(intents) if i != found[-1]]
    return found[-1] if read in rest or any(intent not in not_requests | pleasantries for intent in rest) else None


def help_questions_apart(intents: Sequence[str], matches: Sequence[Optional[Dict[str, Any]]],
                         not_answers: frozenset) -> List[int]:
    """The indices of the clauses a help article answers, one clause for each passage, in the
    order asked, when there are two or more: "how do i descale the aurora kettle? and is your
    website accessible with a screen reader" got the accessibility article alone, and the
    kettle was never mentioned (a customer run). A clause read as a task or a pleasantry
    (`not_answers`) is no help question; `matches` are the clauses' help-article matches."""
    found: List[int] = []
    seen = set()
    for index, (intent, match) in enumerate(zip(intents, matches)):
        if intent in not_answers or not isinstance(match, dict) or match.get("confident") is not True:
            continue
        passage = (match.get("slug"), match.get("section"))
        if passage not in seen:
            seen.add(passage)
            found.append(index)
    return found if len(found) > 1 else []


def other_requests(intents: Sequence[str], read: Optional[str], ask_after: frozenset,
                   same_task: Sequence[frozenset] = (), texts: Sequence[str] = ()) -> List[int]:
    """The indices of the clauses that ask for other tasks (`ask_after`) than the one the
    whole message is read as, when one of its clauses is that one, each task once; none for
    a task of the same kind as the one read ("please change my address and send it to 14 Mill
    Lane": an address, not contact details as well), unless its clause (`texts`, the clauses'
    words) names another order ("please cancel HG-100005 and also return HG-100004"). The
    assistant does the one it read and says it will do the others after
    (bot/channels/second_requests.py)."""
    if read not in intents:
        return []
    kin = set().union(*(group for group in same_task if read in group))
    read_text = texts[intents.index(read)] if texts else ""
    found: List[int] = []
    for index, intent in enumerate(intents):
        if intent not in ask_after or intent == read or intent in [intents[i] for i in found]:
            continue
        if intent in kin and not (texts and names_another_order(texts[index], read_text)):
            continue
        found.append(index)
    return found


def without_clause(text: str, clause: str) -> str:
    """`text` without the readable clause `clause` (its last occurrence as a clause), the
    rest as written ("quick one - where is my order?" keeps its dash)."""
    spans, position = [], 0
    for found in split_clauses(text):
        start = text.find(found.text, position)
        if start < 0:
            return text
        position = start + len(found.text)
        if found.text == clause and not found.preamble:
            spans.append((start, position))
    if not spans:
        return text
    start, end = spans[-1]
    rest = re.sub(r"\s+", " ", text[:start] + " " + text[end:]).strip()
    return rest.strip(" -\u2013\u2014") or rest


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False
)
class ClauseSplitter(SourceFingerprinted, GraphComponent):
    """Adds the readable clauses of a message in several clauses as companion messages; a
    no-op in training. Needs `CalibratedFallbackClassifier` last, which removes them."""

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "ClauseSplitter":
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        companions: List[Message] = []
        for message in messages:
            text = message.get(TEXT) or ""
            if message.get(COMPANION) or text.startswith(INTENT_MESSAGE_PREFIX):
                continue
            clauses = split_clauses(text)
            readable = [c.text for c in clauses if not c.preamble]
            if readable and len(readable) <= MAX_READ_CLAUSES:
                own = [Message(data={TEXT: as_read(clause), COMPANION: True, CLAUSE_TEXT: clause})
                       for clause in readable]
                message.set(CLAUSES, own)
                companions += own
            if len(readable) == 1:
                announcing = [Message(data={TEXT: c.text, COMPANION: True, CLAUSE_TEXT: c.text})
                              for c in clauses if c.preamble][:MAX_READ_CLAUSES - 1]
                message.set(PREAMBLES, announcing)
                companions += announcing
            if negates_any(text):
                beside = [Message(data={TEXT: part, COMPANION: True}) for part in parts(text)]
                message.set(NEGATION_PARTS, beside)
                companions += beside
        return messages + companions
