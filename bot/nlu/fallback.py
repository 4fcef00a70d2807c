"""When a message is not understood well enough to answer it: the calibrated fallback.

Rasa's FallbackClassifier falls back when the top intent's confidence is below a threshold or
the top two are closer than a margin. This one adds a stricter bar for some intents:
- those that start flows which change something (cancel an order, change an address, erase
  an account): they start only when the intent is clear; below that bar the customer is
  asked first (the clarification offers the topic as a button, and pressing it is clear);
- those that questions about things the shop does not do fall into most (payment questions
  draw banking questions): calibration shows they need more confidence before answering;
- and a wider margin against `out_of_scope` than against another topic: an answer only half
  surer than "not something the shop does" ("how to order a virtual card?": how_to_order
  0.51, out_of_scope 0.41) is a guess, and the customer is asked first.

The numbers live in config.yml and are calibrated by `make eval-calibrate` on Banking77's
training split (never its test split), which prints how each setting trades answers
against wrong answers. `FallbackRule` is the one decision; the evaluation replays it on
recorded rankings to compare settings without re-parsing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Dict, FrozenSet, List, Mapping, Optional, Sequence, Text, Tuple

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.clauses import (ALSO_ASKED, ALSO_REQUESTED, CLAUSE_TEXT, CLAUSES, COMPANION,
                             NEGATION_PARTS, PREAMBLES, READ_CLAUSE, about_the_same, first_of_two_tasks, help_question_beside,
                             help_questions_apart, other_requests, second_request,
                             request_after_preambles, single_request, task_beside_asides,
                             without_clause)
from company.help_articles import HELP_ARTICLE, MORE_HELP_ARTICLES
from company.identifiers import normalise_order_number
from bot.nlu.done_tasks import told_as_done
from bot.nlu.leave_taking import asks_as_well
from bot.nlu.negated_requests import (NOT_A_REQUEST, PART_CONFIDENCE, names_another_order, negated, negated_verb,
                                      said_not_wanted)
from bot.nlu.source_fingerprint import SourceFingerprinted
from handoff.hesitation import HESITANT, only_hesitates

# the words around an order number that name nothing else ("order is HG-100003", "my order no: …")
_ORDER_WORDS = re.compile(r"^\W*(?:(?:my|the|it'?s|its|order|number|no|is|was|ref|reference|for|on)\b\W*)*")


def _names_only_an_order(clause: str) -> bool:
    """Whether a clause only names an order ("order is HG-100003")."""
    rest = _ORDER_WORDS.sub("", clause).strip(" .,;:!?")
    return normalise_order_number(rest) is not None


FALLBACK_INTENT = "nlu_fallback"
OUT_OF_SCOPE_INTENT = "out_of_scope"


@dataclass(frozen=True)
class FallbackRule:
    """Thresholds on the classifier's ranking (confidences sum to 1 over all intents)."""

    threshold: float
    ambiguity_threshold: float
    # intent → the confidence it needs (above `threshold`)
    intent_thresholds: Mapping[str, float] = field(default_factory=dict)
    # intents the words cannot tell apart but the conversation does (a bare "2" is a rating
    # or an NPS score depending on the question asked; actions/scores.py decides): they are
    # never "too close" to each other, and they count their confidences together
    alike: Sequence[FrozenSet[str]] = ()
    # how far a topic must lead `out_of_scope`, when that is in the ranking at all
    out_of_scope_margin: float = 0.0

    def _alike(self, first: str, second: str) -> bool:
        return any(first in group and second in group for group in self.alike)

    def falls_back(self, ranking: Sequence[Tuple[str, float]]) -> bool:
        """True when the best intent is too unsure, too close to the next, or a change flow
        without a clear lead. `ranking` is best first, without the fallback intent."""
        if not ranking:
            return True
        name, confidence = ranking[0]
        # the words are sure of what alike intents share ("a score"), however they split it
        shared = confidence + sum(c for n, c in ranking[1:] if self._alike(name, n))
        if shared < self.threshold:
            return True
        runner_up = next((c for n, c in ranking[1:] if not self._alike(name, n)), 0.0)
        if confidence - runner_up < self.ambiguity_threshold:
            return True
        if name != OUT_OF_SCOPE_INTENT and confidence - dict(ranking).get(
                OUT_OF_SCOPE_INTENT, 0.0) < self.out_of_scope_margin:
            return True
        return shared < self.intent_thresholds.get(name, 0.0)

    @classmethod
    def from_config(cls, config: Dict[Text, Any]) -> "FallbackRule":
        return cls(
            threshold=float(config["threshold"]),
            ambiguity_threshold=float(config["ambiguity_threshold"]),
            intent_thresholds={str(k): float(v) for k, v in (config.get("intent_thresholds") or {}).items()},
            alike=tuple(frozenset(group) for group in config.get("alike") or ()),
            out_of_scope_margin=float(config.get("out_of_scope_margin") or 0.0),
        )


def ranking_of(parse_data: Dict[Text, Any]) -> List[Tuple[str, float]]:
    """The classifier's ranking from parse data, best first, the fallback intent left out."""
    return [(r["name"], float(r.get("confidence") or 0.0))
            for r in parse_data.get("intent_ranking") or [] if r.get("name") != FALLBACK_INTENT]


# the request for a person, read beside the details told for it like a task
PERSON_REQUEST = "request_human"

# a clause that is a person's name and nothing else ("Jo Hart," in "can a human look it up by
# my name? Jo Hart, jo.hart@…": out of scope alone, and the request fell back with it)
# ... with a greeting and "I'm" ("Hello, I'm Victoria Hughes," beside "Where's my latest
# order?" was out of scope, and the order question put off behind a button: a later run)
# (the name itself capitalised: "where is it" is no name)
_NAME_ONLY = re.compile(r"^\W*(?i:(?:(?:hi|hello|hey|hiya|good\s+(?:morning|afternoon|evening))\W+(?:there\W+)?)?"
                        r"(?:(?:(?:my\s+)?name(?:'s|\s+is)?\s*:?|i'?m|i\s+am|this\s+is|it'?s|its)\s*)?)"
                        r"[A-Z][a-z'\u2019-]+(?:\s+[A-Z][a-z'\u2019-]+){1,2}\W*$")


def _with_details(clause: str, details: Sequence[str]) -> str:
    """A task's clause with the details the message told for its tasks, as one request."""
    return ", ".join([clause.rstrip(" ,"), *details]) if details else clause


def _answered_by_help_alone(clauses: Sequence[Message]) -> List[bool]:
    """For each clause: whether a help article answers it and it names nothing (a product, a
    country, an order) that the other clauses do not, so that the rest of the message is
    understood without it ("is the kettle cheaper anywhere? how much is it": the price asked
    alone was the product talked about before, a customer run)."""
    named = [frozenset((e.get("entity"), str(e.get("value")).lower()) for e in c.get(ENTITIES) or [])
             for c in clauses]
    return [(clause.get(HELP_ARTICLE) or {}).get("confident") is True
            and named[i] <= frozenset().union(*(named[:i] + named[i + 1:]))
            and not about_the_same(clause.get(CLAUSE_TEXT) or clause.get(TEXT) or "")
            for i, clause in enumerate(clauses)]


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False
)
class CalibratedFallbackClassifier(SourceFingerprinted, FallbackClassifier):
    """Rasa's FallbackClassifier with a stricter bar for the intents that change something."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            **FallbackClassifier.get_default_config(),
            # intent → the confidence it must reach, or the customer is asked first
            "intent_thresholds": {},
            # groups of intents that are never ambiguous with each other
            "alike": [],
            # how far a topic must lead out_of_scope
            "out_of_scope_margin": 0.0,
            # what may stand beside the request in a message in several clauses
            "pleasantries": [],
            # frequent questions answered as well when they stand beside another request in
            # a message in several clauses ("fine. LS6 2QT. also do u deliver on saturdays?")
            "answer_beside": [],
            # feelings told with such a question, answered with it rather than on their own
            "feelings": [],
            # details told beside one task, which are for it ("Good afternoon. Could you tell me
            # where order HG-… is? Postcode is LS62QT" read whole as the postcode told)
            "details": [],
            # tasks asked for beside another one the message is read as: the assistant says
            # it will do them after ("cancel HG-100005 and delete my account")
            "ask_after": [],
            # groups of those tasks that one message asks for as one ("please change my address
            # and send it to …"): no other task of the same group is offered after
            "same_task": [],
            # of those tasks, the ones done first whichever the message reads as: changes to an
            # order that cannot wait for the others (a closure hands over to a person)
            "do_first": [],
            # intents that end a conversation; read as one while the words ask something
            # ("ok what about next day"), the message falls back instead
            "leave_taking": [],
            # a yes and a no; a message that only hesitates ("hmm", "ok?", "idk") is never
            # read as either (handoff/hesitation.py)
            "yes_or_no": [],
        }

    def __init__(self, config: Dict[Text, Any]) -> None:
        super().__init__(config)
        full = {**self.get_default_config(), **config}
        self._rule = FallbackRule.from_config(full)
        self._pleasantries = frozenset(full["pleasantries"])
        self._leave_taking = frozenset(full["leave_taking"])
        self._yes_or_no = frozenset(full["yes_or_no"])
        self._answer_beside = frozenset(full["answer_beside"])
        self._ask_after = frozenset(full["ask_after"])
        self._same_task = tuple(frozenset(group) for group in full["same_task"])
        self._do_first = frozenset(full["do_first"])
        self._feelings = frozenset(full["feelings"])
        self._details = frozenset(full["details"])
        self._name_told = sorted(self._details)[0] if self._details else None
        self._asides = self._pleasantries | self._feelings

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "CalibratedFallbackClassifier":
        return cls(config)

    def _should_fallback(self, message: Message) -> bool:
        ranking = ranking_of(message.data)
        if ranking and ranking[0][0] in self._leave_taking and asks_as_well(message.get(TEXT) or ""):
            return True
        if ranking and ranking[0][0] in self._yes_or_no and only_hesitates(message.get(TEXT) or ""):
            message.set(HESITANT, True, add_to_output=True)  # understood: no failed turn (handoff.escalation)
            return True
        return self._rule.falls_back(ranking)

    def process(self, messages: List[Message]) -> List[Message]:
        """Falls back where the rule says so; a message that falls back as a whole but is
        one request among pleasantries (bot/nlu/clauses.py) gets the request's reading, and
        one that asks a frequent question beside another request says so (`ALSO_ASKED`).
        The clauses' companion messages are dropped here."""
        super().process(messages)
        not_requests = frozenset({FALLBACK_INTENT, OUT_OF_SCOPE_INTENT})
        for message in messages:
            clauses: List[Message] = message.data.pop(CLAUSES, None) or []
            beside: List[Message] = message.data.pop(NEGATION_PARTS, None) or []
            announcing: List[Message] = message.data.pop(PREAMBLES, None) or []
            if not message.get(COMPANION) and self._read_without_negated(message, beside, not_requests):
                continue
            if not clauses:
                continue
            intents = [self._details_told(c) for c in clauses]
            found = None
            read = message.get(INTENT, {}).get(INTENT_NAME_KEY)
            if read == FALLBACK_INTENT:
                found = single_request(intents, self._pleasantries, not_requests)
            else:
                found = request_after_preambles([self._details_told(p) for p in announcing], intents, read,
                                                not_requests | self._pleasantries)
            if found is None and (read in self._feelings | {FALLBACK_INTENT} or read in self._ask_after):
                found = task_beside_asides(intents, self._ask_after, self._feelings, self._pleasantries)
            if found is None and read in self._details | {FALLBACK_INTENT}:
                # (a request and the detail it needs, read whole, falls back too: "I'd like to
                # send back my whole order HG-… please, postcode M3 4LQ", a customer run); so does
                # a request for a person with details told for them ("can a human look it up by
                # my name? Jo Hart, jo.hart@…" was asked for the order number again: a later run)
                found = task_beside_asides(intents, self._ask_after | {PERSON_REQUEST}, self._details,
                                           self._pleasantries)
            if found is None and read == FALLBACK_INTENT:
                first = first_of_two_tasks(intents, self._ask_after, self._do_first, not_requests)
                if first is not None:  # the other is offered after (ALSO_REQUESTED, below)
                    chosen = clauses[first]
                    message.set(INTENT, chosen.get(INTENT), add_to_output=True)
                    message.set(INTENT_RANKING_KEY, chosen.get(INTENT_RANKING_KEY), add_to_output=True)
                    message.set(READ_CLAUSE, chosen.get(TEXT), add_to_output=True)
                    read = intents[first]
            if found is not None:
                request = clauses[found]
                message.set(INTENT, request.get(INTENT), add_to_output=True)
                message.set(INTENT_RANKING_KEY, request.get(INTENT_RANKING_KEY), add_to_output=True)
                message.set(READ_CLAUSE, request.get(TEXT), add_to_output=True)
                continue
            question = second_request(intents, self._asides, not_requests, self._answer_beside,
                                      [c.get(TEXT) or "" for c in clauses])
            if question is None:
                question = help_question_beside(intents, read, self._answer_beside, not_requests,
                                                _answered_by_help_alone(clauses), self._pleasantries)
            if question is not None:
                asked = clauses[question].get(TEXT)
                message.set(ALSO_ASKED, {"text": asked, "intent": intents[question],
                                         "rest": without_clause(message.get(TEXT) or "",
                                                                         clauses[question].get(CLAUSE_TEXT))},
                            add_to_output=True)
                continue
            if read in not_requests:
                self._answer_help_questions_apart(message, clauses, intents)
                continue
            texts = [c.get(TEXT) or "" for c in clauses]
            later = [] if read in not_requests else other_requests(intents, read, self._ask_after,
                                                                   self._same_task, texts)
            # a task said not to be meant is none ("don't cancel HG-…! i just want to know when it
            # arrives", "… dont delete my account")
            later = [i for i in later if not said_not_wanted(texts[i], intents[i])]
            first = next((i for i in later if intents[i] in self._do_first), None)
            if first is not None and read not in self._do_first and read in intents:
                # the change that cannot wait goes first: "cancel HG-… and delete my account" ran
                # the closure, which hands over, and the cancellation was never made
                later = [intents.index(read), *[i for i in later if i != first]]
                chosen = clauses[first]
                message.set(INTENT, chosen.get(INTENT), add_to_output=True)
                message.set(INTENT_RANKING_KEY, chosen.get(INTENT_RANKING_KEY), add_to_output=True)
                message.set(READ_CLAUSE, chosen.get(TEXT), add_to_output=True)
            if later:
                rest = message.get(TEXT) or ""
                for index in later:
                    rest = without_clause(rest, clauses[index].get(CLAUSE_TEXT))
                # the details told for the tasks go with each ("… and also take me off the
                # mailing list, email is alice@…": the stop asked for the address again)
                told = [texts[i] for i, intent in enumerate(intents) if intent in self._details]
                message.set(ALSO_REQUESTED, {"others": [{"text": _with_details(texts[i], told), "intent": intents[i]}
                                                        for i in later], "rest": rest}, add_to_output=True)
        return [m for m in messages if not m.get(COMPANION)]

    def _answer_help_questions_apart(self, message: Message, clauses: List[Message],
                                     intents: List[str]) -> None:
        """A message that falls back whole and asks the help centre two things has each
        answered (`help_questions_apart`): its `help_article` becomes the first clause's match,
        `MORE_HELP_ARTICLES` the others'."""
        # a clause that only names the order asks the help centre nothing: "… has gone silent.
        # order HG-100003" got the order confirmation emails beside the headphones (a customer run)
        matches = [None if _names_only_an_order(str(c.get(TEXT) or "")) else c.get(HELP_ARTICLE) for c in clauses]
        asked = help_questions_apart(intents, matches, self._ask_after | self._pleasantries)
        if asked:
            message.set(HELP_ARTICLE, clauses[asked[0]].get(HELP_ARTICLE), add_to_output=True)
            message.set(MORE_HELP_ARTICLES, [clauses[i].get(HELP_ARTICLE) for i in asked[1:]],
                        add_to_output=True)

    def _details_told(self, clause: Message) -> Optional[str]:
        """The clause's intent; a name alone, which the classifier does not read, is details
        told (with the fallback or out of scope read), and so is a task told as already done
        (bot/nlu/done_tasks.py)."""
        read = clause.get(INTENT, {}).get(INTENT_NAME_KEY)
        if (read in (FALLBACK_INTENT, OUT_OF_SCOPE_INTENT) and self._name_told
                and _NAME_ONLY.match(clause.get(TEXT) or "")):
            return self._name_told
        if self._name_told and told_as_done(clause.get(TEXT) or "", read):
            return self._name_told  # "i returned part of order HG-…", beside "where's my refund?"
        return read

    def _read_without_negated(self, message: Message, beside: List[Message], not_requests: frozenset) -> bool:
        """A message that says not to do what it reads as (bot/nlu/negated_requests.py) reads
        as the request of one of its parts that asks for something else, or falls back
        without that request among the choices. True when it was such a message."""
        ranking = message.get(INTENT_RANKING_KEY) or []
        read = message.get(INTENT, {}).get(INTENT_NAME_KEY)
        top = read if read != FALLBACK_INTENT else next(
            (r.get(INTENT_NAME_KEY) for r in ranking if r.get(INTENT_NAME_KEY) != FALLBACK_INTENT), None)
        if not top or not negated(message.get(TEXT) or "", top):
            return False
        # a part that asks for the same request without the "don't" is the request when it names
        # another order ("dont cancel HG-100005, cancel HG-100006 instead"); not otherwise ("dont
        # unsubscribe me, i just want fewer emails", "unsubscribe from harbor club not the
        # newsletter": a review)
        refused = not_requests | self._pleasantries | NOT_A_REQUEST
        text = message.get(TEXT) or ""
        wanted = [part for part in beside
                  if part.get(INTENT, {}).get(INTENT_NAME_KEY) not in refused
                  and (part.get(INTENT, {}).get(INTENT_NAME_KEY) != top
                       or (negated_verb(text, top) and names_another_order(part.get(TEXT) or "", text)))
                  and float(part.get(INTENT, {}).get("confidence") or 0.0) >= PART_CONFIDENCE
                  and not negated(part.get(TEXT) or "", part.get(INTENT, {}).get(INTENT_NAME_KEY) or "")]
        if wanted:
            best = max(wanted, key=lambda part: float(part.get(INTENT, {}).get("confidence") or 0.0))
            message.set(INTENT, best.get(INTENT), add_to_output=True)
            ranking_kept = best.get(INTENT_RANKING_KEY) or []
            if best.get(INTENT, {}).get(INTENT_NAME_KEY) != top:
                ranking_kept = [r for r in ranking_kept if r.get(INTENT_NAME_KEY) != top]
            message.set(INTENT_RANKING_KEY, ranking_kept, add_to_output=True)
            message.set(READ_CLAUSE, best.get(TEXT), add_to_output=True)
            return True
        fallback = {INTENT_NAME_KEY: FALLBACK_INTENT, "confidence": self._rule.threshold}
        others = [r for r in ranking if r.get(INTENT_NAME_KEY) not in (top, FALLBACK_INTENT)]
        message.set(INTENT, fallback, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [fallback, *others], add_to_output=True)
        return True
