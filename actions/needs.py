"""The 5W1H needs form, its corrections and the confirmed sheet.

`validate_needs_form` extracts every field the customer's messages already answer (the
first description, and any answer that says more than was asked), so the form asks only
for what is missing; "skip" or "don't know" is accepted for any field. A correction on the
sheet empties one field (or fills it straight from the customer's words) and the form runs
again. `action_save_requirement` stores the confirmed sheet, queues it for the teams'
webhook, and confirms it in writing (the chat, and an e-mail when the customer is known).
"""

from __future__ import annotations

import re
from typing import Any, Dict, FrozenSet, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.confirmation_replies import after_a_plain_yes, asks_a_question
from actions.company_db import company_session, company_sessions, gateway_conversation
from actions.tracker_reading import (asks_instead_of_answering, latest_entity, latest_intent, message_intent,
                                     said_since_previous_message, typed_text)
from actions.fallback import ACTION_NAME as CLARIFY
from actions.frequent_questions import ANSWERED_BY
from actions.handoff import identified_customer
from actions.needs_going_back import previous_question, words_after_going_back
from actions.requirement_tickets import open_requirement_ticket
from ground.calendar_days import stated_date
from ground.giving_up import GIVING_UP
from ground.settings import Settings
from ground.clock import utcnow
from company.addresses import address_in_request
from company.models import Customer
from company.outbox import queue_email
from needs.export import to_markdown
from needs.additions import adds_to_a_line, with_added, words_added
from needs.corrections import correction_parts, corrections_beside_an_answer, replacement
from needs.extraction import CONTACT, FIELDS, NOT_KNOWN, ORG, PERSON, extract_needs, is_skip
from needs.records import RequirementSheet, RequirementStore, reference

MAX_ANSWER = 500
SKIP_INTENT = "skip_question"
# intents that mean the customer is not answering the question (handled by other rules)
# (and a request for a person or a complaint the NLU is sure of: asks_instead_of_answering)
NOT_AN_ANSWER = frozenset({"deny", "stop_contact"})
# the fields the extraction finds by their entities (a date, a place, people), sure enough
# to tell an answer that belongs to another question
ENTITY_FIELDS = frozenset({"when", "where", "who"})
NOTED_ELSEWHERE = "utter_needs_noted_elsewhere"
# a question with the sheet's yes that its confirmation answers ("within one working day")
_ABOUT_HEARING_BACK = re.compile(
    r"\bhow\s+(?:long|soon)\b|\bwhen\b.*\b(?:hear|get\s+back|contact|reply|respond|call)"
    r"|\bwho\b.*\b(?:contact|get\s+back|call)", re.IGNORECASE)
# whether a "no" in the form leaves it (action_read_needs_no)
LEFT_SLOT = "needs_left"
# a line the customer asked to add to, whose addition the form asks for: {"field", "line"}
ADDING_SLOT = "need_added_to"
# words that name a field in a typed correction ("the deadline is wrong")
FIELD_WORDS: Dict[str, tuple] = {
    "what": ("what", "product", "products", "quantity", "how many", "items"),
    "why": ("why", "reason", "purpose", "problem"),
    "when": ("when", "deadline", "date", "timing", "go-live", "go live", "by when"),
    "where": ("where", "location", "place", "site", "address", "region", "office"),
    "who": ("who", "people", "users", "team", "decision", "staff", "employees"),
    "how": ("how", "budget", "constraint", "constraints", "integration", "payment", "install"),
}


def answers_another_question(text: str, requested_slot: Optional[str]) -> Dict[str, str]:
    """The fields a short answer gives instead of the one asked: "by end of January" to
    "Where is it for?" is a When, "Leeds and York" to "Who will use it?" a Where, and "20
    people, I'm Sam Patel the office manager" to the How question a Who (a customer run:
    filed as the How). Only the fields found by their entities (a date, a place, people)
    count, and only when they are most of the answer; anything else is taken as the answer
    to the question asked."""
    asked = (requested_slot or "").removeprefix("need_")
    if asked not in ENTITY_FIELDS | {"how"}:  # a Why or What is free: "for christmas" is a Why
        return {}
    found = extract_needs(text).fields
    if not found or asked in found or not set(found) <= ENTITY_FIELDS:
        return {}
    if asked == "when" and len(found) == 1 and not _TIMELY.search(text):
        # nothing of time in it: no When ("Harbor Dental, 3 surgeries in leeds" was filed as
        # the When, a customer run), kept whole where its place or people go
        return {name: " ".join(text.split()).strip(" ,;")[:MAX_ANSWER] for name in found}
    found_words = sum(len(value.replace(";", " ").split()) for value in found.values())
    return found if 2 * found_words >= len(text.split()) else {}


# words of time in an answer to "When do you need it by?" ("in time for our opening in leeds")
_TIMELY = re.compile(
    r"\b(?:time|soon|asap|urgent\w*|rush|hurry|before|by|until|till|after|from|opening|open|launch\w*|"
    r"start\w*|deadline|day|days|week\w*|month\w*|year\w*|quarter|term|season|date|when|now|later|ready|"
    r"whenever|flexible|yesterday|tomorrow|tonight|today|next|this|end|early|mid|late)\b", re.IGNORECASE)


# questions that answer no 5W1H question but What and How ("can you deliver them assembled?"
# is a How): "how much would delivery to france cost for that?" was filed as the When
_FREE_QUESTION_FIELDS = frozenset({"what", "how"})
# the model must be this sure the question is about another topic
_OTHER_TOPIC_CONFIDENCE = 0.9


# the frequent questions with a rule of their own (data/rules/faq.yml): asked in the middle
# of the interview they are answered at once, and the question asked again after
FREQUENT_QUESTIONS = frozenset(ANSWERED_BY)
# fields a question can answer by its own words ("can you deliver them assembled?" is a How)
_CUED_FIELDS = frozenset({"what", "why", "how"})


def _frequent_question(text: str, tracker: Tracker) -> bool:
    """A frequent question the model is sure of that tells the sheet nothing but perhaps a
    place or a date: nothing is filed from it, so the form steps aside for its rule ("what
    are your opening hours?" to "What would you like from us?" was filed as the What)."""
    intent = tracker.latest_message.get("intent") or {}
    return (intent.get("name") in FREQUENT_QUESTIONS and asks_a_question(text)
            and float(intent.get("confidence") or 0.0) >= _OTHER_TOPIC_CONFIDENCE
            and not _CUED_FIELDS & set(extract_needs(text).fields))


def _asks_instead(field: str, text: str, tracker: Tracker) -> bool:
    """A question of the customer's own where a Why, When, Where or Who is asked."""
    intent = tracker.latest_message.get("intent") or {}
    if _ASKS_THE_SHOP.match(text) and field not in extract_needs(text).fields:
        return True
    return (field not in _FREE_QUESTION_FIELDS and asks_a_question(text)
            and intent.get("name") not in (None, "inform", "describe_need", "correct_need", "nlu_fallback")
            and float(intent.get("confidence") or 0.0) >= _OTHER_TOPIC_CONFIDENCE)


# what the question is for, asked instead of answering it ("why do you need to know that?"
# was filed as the Why, "what do you mean?" as the When: a customer run)
_ASKS_WHY_ASKED = re.compile(
    r"^\W*(?:why|what\s+for|how\s+come|what)\W*$"
    r"|\bwhy\s+(?:do|would|does|should)\s+(?:you|u|that|it)\s*(?:need|want|matter|ask)"
    r"|\bwhy\s+(?:are|r)\s+(?:you|u)\s+asking|\bwhat\s+do\s+(?:you|u)\s+mean\b|\bwhat\s+does\s+that\s+mean\b"
    r"|\bi\s+do\s*n[o']?t\s+(?:understand|get)\s+(?:the\s+|that\s+|your\s+)?question\b"
    # "what do you need to know?", "can I ask what happens with this info?" (each filed as the Why)
    r"|\bwhat\s+(?:else\s+)?(?:do|would)\s+(?:you|u)\s+need\s+(?:to\s+know|from\s+me)\b"
    r"|\bwhat\s+happens\s+(?:with|to)\s+(?:this|that|my|the)\s+(?:info|information|answers?|details|data)\b",
    re.IGNORECASE)
# a question of the customer's own to the shop ("do you offer a bulk discount?" was filed as
# the Where): asked after the interview (utter_needs_question_after), unless it tells the field
_ASKS_THE_SHOP = re.compile(r"^\W*(?:do|does|can|could|will|would|are|is)\s+(?:you|u|ya|there|it)\b.*\?\W*$",
                            re.IGNORECASE)
# a reply that is no answer at all: it is asked again ("ok" and "hmm" were filed as answers)
_NO_ANSWER = re.compile(r"^\W*(?:ok(?:ay)?|k|hmm+|hm|umm*|uh+|yes|yeah|yep|sure|right|alright|cool)\W*$",
                        re.IGNORECASE)


def _pays_by_invoice(tracker: Tracker) -> bool:
    """Whether the latest message asks for an invoice with no order named: in the interview,
    how the request is to be paid (asks_about_an_order)."""
    return (latest_intent(tracker) == "request_invoice" and latest_entity(tracker, "order_number") is None
            and re.search(r"\border\b", typed_text(tracker), re.IGNORECASE) is None)


def _corrected_this_turn(tracker: Tracker) -> bool:
    """Whether action_correct_need ran for the customer's latest message."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "action" and event.get("name") == "action_correct_need":
            return True
    return False


class ValidateNeedsForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_needs_form"

    def _extract(self, field: str, tracker: Tracker, dispatcher: CollectingDispatcher) -> Dict[Text, Any]:
        slot = f"need_{field}"
        text = typed_text(tracker)
        if _corrected_this_turn(tracker):
            # action_correct_need kept what the correction told; the words themselves are no
            # answer ("the budget is wrong" became the How: "budget is wrong")
            return {}
        if _pays_by_invoice(tracker):
            # "can you invoice us? net 30" to the Why: the form was refused it, and the invoice
            # rule asked for an order number (a customer run). It is how they would pay.
            if field == "how":
                earlier = tracker.get_slot(slot)
                told = text if earlier in (None, NOT_KNOWN) else f"{earlier}; {text}"
                return {slot: told[:MAX_ANSWER]}
            if tracker.get_slot("requested_slot") == slot:
                dispatcher.utter_message(response=NOTED_ELSEWHERE)
            return {}
        asked = tracker.get_slot("requested_slot") == slot
        adding = tracker.get_slot(ADDING_SLOT) or {}
        line = adding.get("line") if asked and adding.get("field") == field else None
        if asked and (latest_intent(tracker) == SKIP_INTENT or is_skip(text)):
            # nothing to add after all: the line stays as it was
            return {slot: line, ADDING_SLOT: None} if line else {slot: NOT_KNOWN}
        if asked and _ASKS_WHY_ASKED.search(text):
            dispatcher.utter_message(response="utter_needs_why_asked")
            return {}
        if asked and _NO_ANSWER.match(text):
            return {}
        back = words_after_going_back(text) if asked else None
        if back is not None:
            # the question before is asked again, or answered by the words after "go back"
            previous = previous_question(tracker, slot)
            if previous is None:
                return {}
            told = answer_to(previous.removeprefix("need_"), back) if len(back.split()) >= 2 else None
            return {previous: told}
        if not text or _frequent_question(text, tracker):
            return {}
        asked_field = (tracker.get_slot("requested_slot") or "").removeprefix("need_") or None
        corrected, text = corrections_beside_an_answer(sheet_of(tracker), text, asked_field)
        if field in corrected:
            return {slot: corrected[field][:MAX_ANSWER]}
        if asked and not text:
            return {}  # only a correction of an earlier answer: this question is asked again
        # moved once per question at most: the same kind of answer again is the answer
        moved_before = NOTED_ELSEWHERE in said_since_previous_message(tracker)
        elsewhere = {} if moved_before else answers_another_question(
            text, tracker.get_slot("requested_slot"))
        if asked:
            if latest_intent(tracker) in NOT_AN_ANSWER or asks_instead_of_answering(tracker):
                return {}
            if _asks_instead(field, text, tracker):
                dispatcher.utter_message(response="utter_needs_question_after")
                return {}
            if elsewhere:  # kept under its own question (below); this one is asked again
                dispatcher.utter_message(response=NOTED_ELSEWHERE)
                return {}
            answer = answer_to(field, text, fields_still_told(sheet_of(tracker)))
            if line:
                return {slot: with_added(field, str(line), answer)[:MAX_ANSWER], ADDING_SLOT: None}
            return {slot: answer}
        earlier = tracker.get_slot(slot)
        told = elsewhere.get(field)
        if told is None:
            told = extract_needs(text).fields.get(field)
            if told and earlier not in (None, NOT_KNOWN) and not adds_to(field, earlier, told):
                return {}
        if not told:
            return {}
        if earlier in (None, NOT_KNOWN):
            return {slot: told}
        joined = with_added(field, str(earlier), told)
        return {} if joined == earlier else {slot: joined[:MAX_ANSWER]}

    async def extract_need_what(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                domain: DomainDict) -> Dict[Text, Any]:
        return self._extract("what", tracker, dispatcher)

    async def extract_need_why(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                               domain: DomainDict) -> Dict[Text, Any]:
        return self._extract("why", tracker, dispatcher)

    async def extract_need_when(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                domain: DomainDict) -> Dict[Text, Any]:
        return self._extract("when", tracker, dispatcher)

    async def extract_need_where(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                 domain: DomainDict) -> Dict[Text, Any]:
        return self._extract("where", tracker, dispatcher)

    async def extract_need_who(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                               domain: DomainDict) -> Dict[Text, Any]:
        return self._extract("who", tracker, dispatcher)

    async def extract_need_how(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                               domain: DomainDict) -> Dict[Text, Any]:
        return self._extract("how", tracker, dispatcher)

    @staticmethod
    def _answer(slot: str, value: Any, dispatcher: CollectingDispatcher,
                minimum_words: int = 1) -> Dict[Text, Any]:
        if value is None:
            return {slot: None}  # emptied to be asked again ("go back")
        text = " ".join(str(value or "").split())[:MAX_ANSWER]
        if text == NOT_KNOWN:
            return {slot: NOT_KNOWN}
        if len(text) < 2 or len(text.split()) < minimum_words:
            dispatcher.utter_message(response="utter_needs_too_short")
            return {slot: None}
        return {slot: text}

    def validate_need_what(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                           domain: DomainDict) -> Dict[Text, Any]:
        return self._answer("need_what", value, dispatcher)

    def validate_need_why(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                          domain: DomainDict) -> Dict[Text, Any]:
        return self._answer("need_why", value, dispatcher, minimum_words=2)

    def validate_need_when(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                           domain: DomainDict) -> Dict[Text, Any]:
        answer = self._answer("need_when", value, dispatcher)
        deadline = stated_date(answer["need_when"] or "", utcnow().date())
        if deadline is not None and deadline < utcnow().date():
            dispatcher.utter_message(response="utter_needs_when_past")
            return {"need_when": None}
        return answer

    def validate_need_where(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                            domain: DomainDict) -> Dict[Text, Any]:
        return self._answer("need_where", value, dispatcher)

    def validate_need_who(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                          domain: DomainDict) -> Dict[Text, Any]:
        return self._answer("need_who", value, dispatcher)

    def validate_need_how(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                          domain: DomainDict) -> Dict[Text, Any]:
        return self._answer("need_how", value, dispatcher)


# the fields a later message adds to rather than leaves as they are: the terms of the deal
# gather ("installation" from the request, then "budget is about 8k" told beside the Why was
# lost: a customer run)
ADDED_TO = frozenset({"how"})


_COUNT = re.compile(r"\d")
_NAMED_WHO = frozenset({ORG, PERSON, CONTACT})


def adds_to(field: str, earlier: Any, found: Optional[str] = None) -> bool:
    """Whether words told later for a field answered before are added to its value: the terms
    of the deal gather; a What that counts nothing ("a bulk order", "office chairs for our new
    office") takes the things counted later ("50 Orbit Smart Speakers for guest rooms", told
    with the Why, was lost: a customer run); the Who takes an organisation, a person or a way
    to reach them named beside the people already told."""
    if field in ADDED_TO:
        return True
    if field == "who" and found:
        # the customer's organisation or a person named ("the company is Brightline Analytics
        # Ltd, contact Priya Shah" at the read-back was lost: a customer run)
        return bool(set(extract_needs(found).details) & _NAMED_WHO)
    return field == "what" and not _COUNT.search(str(earlier or "")) and (found is None or bool(_COUNT.search(found)))


def fields_still_told(sheet: Dict[str, Optional[str]]) -> FrozenSet[str]:
    """The fields a message's words are kept under when told beside another question's
    answer (ValidateNeedsForm._extract): those not answered yet, and those added to."""
    return frozenset(name for name, value in sheet.items()
                     if value in (None, NOT_KNOWN) or adds_to(name, value))


# where an answer's parts meet: sentences, and clauses joined by ", and", ", so", ", but"
_ANSWER_CLAUSES = re.compile(r"(?<=[.!?])\s+|\s*;\s*|\s*,\s+(?:and|so|but)\s+", re.IGNORECASE)


# "like I said" before an answer is no part of it ("What: like i said, 40 Atlas office chairs",
# "Why: as i said its gifts for the attendees": customer runs)
_REMINDER = re.compile(
    r"^\W*(?:(?:um+|uh+|erm+|er|well|so)\W+)*"
    r"(?:(?:like|as)\s+(?:i|we)(?:'ve|\s+have)?\s+(?:already\s+)?(?:said|say|mentioned|told\s+(?:you|u)|wrote|explained)"
    # "um I just told you? 8 Terra coffee grinders, …" was kept whole as the Why (a customer run)
    r"|i\s+(?:just|already)\s+(?:told\s+(?:you|u)|said(?:\s+that)?)(?=\W*[?.!,])"
    r"|as\s+(?:already\s+)?(?:mentioned|said|stated)|i\s+(?:already\s+)?(?:said|told\s+(?:you|u))(?:\s+already)?(?=\W*,)"
    r"|i\s+(?:already\s+)?told\s+(?:you|u)(?:\s+already)?)"
    r"(?:\s+(?:before|earlier|already|above))?\W*", re.IGNORECASE)


def answer_to(field: str, text: str, kept_elsewhere: Optional[FrozenSet[str]] = None) -> str:
    """What is kept of an answer to the question about `field`: the whole answer, unless it
    also tells other fields that are kept under their own questions (`kept_elsewhere`, all
    when not given); then the extraction's part for this one, or, where the extraction finds
    none, the answer's sentences and clauses that tell no other field. The extraction's part
    alone lost what its lists do not know: "Leeds, LS1 4AP" became "Leeds", "5 designers, I
    decide" became "I decide"; and "guests complain about allergies. we need them by end of
    May, our CFO signs off" was kept whole as the Why (a customer run)."""
    text = _REMINDER.sub("", text)
    fields = extract_needs(text).fields
    found = fields.get(field)
    others = set(fields) - {field}
    if kept_elsewhere is not None:
        others &= kept_elsewhere
    # (a question to the shop is asked after the interview: "can you deliver to our Leeds
    # office?" answers the Where with "Leeds")
    if found and (others or text.rstrip().endswith("?")):
        return found[:MAX_ANSWER]
    whole = " ".join(text.split()).strip(" ,;")
    if not found and others:
        own = [part.strip(" ,;.") for part in _ANSWER_CLAUSES.split(whole)
               if part.strip(" ,;.") and not others & set(extract_needs(part).fields)]
        if own:
            return "; ".join(own)[:MAX_ANSWER]
    return whole[:MAX_ANSWER]


def sheet_of(tracker: Tracker) -> Dict[str, Optional[str]]:
    """The 5W1H fields as the conversation holds them."""
    return {name: tracker.get_slot(f"need_{name}") for name in FIELDS}


# a noun's "'s" ("budget's wrong"), not a question word's ("what's the budget")
_POSSESSIVE = re.compile(r"\b(?!(?:what|who|where|when|how|why|it|that|there|here|he|she|let)['\u2019]s\b)(\w+)['\u2019]s\b")


def field_named_in(words: str) -> Optional[str]:
    """The 5W1H field typed words name ("the where is wrong", "the deadline", "budget's
    wrong": a customer run got "Which part should I change?"), if any."""
    text = " {} ".format(_POSSESSIVE.sub(r"\1", words.lower()))
    for field in FIELDS:
        if any(f" {word} " in text or f" {word}," in text or f" {word}." in text or f" {word}:" in text
               for word in FIELD_WORDS[field]):
            return field
    return None


_NOTHING_TO_ADD_FIELDS = frozenset(f"need_{field}" for field in FIELDS if field != "what")


# questions about an order the interview cannot be answering ("actually nevermind, where is
# my order HG-…" was filed as the Why), and tasks on an order when the message names one
ORDER_QUESTIONS = frozenset({"order_status", "refund_status", "request_invoice"})
ORDER_TASKS = frozenset({"cancel_order", "change_address", "start_return"})
# "stop. i dont want this. WHERE IS MY ORDER" was filed as the Who
# (anchored to the end of a clause where a real answer could go on: "i dont want it to cost
# more than 500", "leave it at reception", "scrap that, make it 30 people"; a review)
_CLAUSE_END = r"\s*(?:[.!;?]|$)"
# (besides the words that drop any question: ground/giving_up.py)
_LEAVING = re.compile(
    GIVING_UP + r"|\bi\s+(?:do\s*n[o']?t|dont)\s+want\s+(?:this|that|it)(?:\s+any\s*more)?\s*(?:[.!,;?]|$)"
    + r"|\bleave\s+it(?:\s+there)?\s*(?:[.!,;?]|$)|\bscrap\s+(?:it|that|this)" + _CLAUSE_END
    + r"|\bcancel\s+(?:this|that)\s+(?:request|form|questions?)|\bstop\s+(?:this|the\s+questions)\b"
    + r"|^\W*stop\s*(?:[.!,;?]|$)"
    # a pause ("I need to check with Sarah first, can I come back to this later?" fell back: a
    # customer run); what was told is kept for when they come back
    + r"|\b(?:(?:can|could|may)\s+(?:i|we)\s+|i'?ll\s+|we'?ll\s+)?(?:come\s+back\s+to|pick\s+up|finish|continue)"
    r"\s+(?:this|it)\s+(?:later|another\s+time|tomorrow)\b\W*", re.IGNORECASE)


def leaves_the_interview(text: str) -> bool:
    """Whether the words leave the 5W1H interview."""
    return _LEAVING.search(text) is not None


_ASKS = re.compile(r"\?|\b(?:where|when|what|how|why|can|could|order|refund|delivery|parcel)\b", re.IGNORECASE)


def _says_more_than_leaving(text: str) -> bool:
    """Whether the words ask something besides leaving the interview."""
    return _ASKS.search(_LEAVING.sub(" ", text or "")) is not None


def asks_about_an_order(intent: Optional[str], confidence: float, names_an_order: bool) -> bool:
    """Whether a message in the interview asks about an order rather than answering. An
    invoice asked for with no order named is how the request is to be paid ("can you invoice
    us? net 30" to the How left the interview for an order check: 2 of 2 in a customer run)."""
    if confidence < _OTHER_TOPIC_CONFIDENCE:
        return False
    if intent == "request_invoice":
        return names_an_order
    return intent in ORDER_QUESTIONS or (intent in ORDER_TASKS and names_an_order)


class ActionLeaveNeeds(Action):
    """Leaves the 5W1H interview (what was told is kept, as for a "no") for an order the
    customer asks about, or because they said so; then the order's task starts, or a
    message not understood is asked about."""

    def name(self) -> Text:
        return "action_leave_needs"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        dispatcher.utter_message(response="utter_needs_abandoned")
        events: List[EventType] = [ActiveLoop(None), SlotSet("requested_slot", None), SlotSet(LEFT_SLOT, True)]
        intent = latest_intent(tracker)
        if intent in ORDER_QUESTIONS | ORDER_TASKS:
            events.append(FollowupAction("order_form"))
        elif intent == "nlu_fallback" and _says_more_than_leaving(typed_text(tracker)):
            # "stop. i dont want this. WHERE IS MY ORDER"
            events.append(FollowupAction(CLARIFY))
        else:
            # "stop, forget it" (a "no" to the model) got "Sorry, I didn't quite get that" after
            # the goodbye to the interview: the rules read the "no" again
            events.append(FollowupAction("action_listen"))
        return events


class ActionReadNeedsNo(Action):
    """A "no" where the needs form asks a question: a bare "no" or "nope" is nothing to add
    to that question, and the form goes on; other words ("no, forget it") leave the form.
    Every "no" left it before, and "nope" to the last question dropped the request."""

    def name(self) -> Text:
        return "action_read_needs_no"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        asked = tracker.get_slot("requested_slot")
        # (never the What: a request with nothing asked for is no request; "nah" there leaves)
        if asked in _NOTHING_TO_ADD_FIELDS and is_skip(typed_text(tracker)):
            return [SlotSet(asked, NOT_KNOWN), SlotSet(LEFT_SLOT, False)]
        return [SlotSet(LEFT_SLOT, True)]


class ActionCorrectNeed(Action):
    """Empties the field the customer wants changed; the form then asks it again, unless
    their message already says the new value (which the form's extraction picks up)."""

    def name(self) -> Text:
        return "action_correct_need"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        if not any(tracker.get_slot(f"need_{name}") for name in FIELDS):
            # no requirement in this conversation to correct: "so can you change it to 5 Park
            # Row, Leeds LS1 5HD" got the 5W1H form ("Which part should I change?")
            if address_in_request(typed_text(tracker)) is not None:
                return [SlotSet("order_task", "change_address"), FollowupAction("order_form")]
            return [FollowupAction(CLARIFY)]
        chosen = latest_entity(tracker, "need_field")
        sheet, text = sheet_of(tracker), typed_text(tracker)
        changes = corrections_told(sheet, text, chosen if chosen in FIELDS else None)
        if not changes:
            dispatcher.utter_message(response="utter_needs_which_field")
            return [SlotSet("need_field", None)]
        # a field left empty (nothing told for it) is asked again by the form; one the customer
        # asked to add to keeps its line, and the answer is added to it
        adding = None if not adds_to_a_line(text) else next(
            ({"field": name, "line": sheet[name]} for name, value in changes.items()
             if value is None and sheet.get(name) not in (None, NOT_KNOWN)), None)
        return ([SlotSet(f"need_{name}", value) for name, value in changes.items()]
                + [SlotSet("need_field", None), SlotSet(ADDING_SLOT, adding)])


def corrections_told(sheet: Dict[str, Optional[str]], text: str,
                     chosen: Optional[str] = None) -> Dict[str, Optional[str]]:
    """The fields a typed correction of the sheet changes, with their new values (None: asked
    again), part by part ("no its 35 kettles not 30, and budget is 30 each" corrects two):
    a value with the new words first replaces the old words where they stand ("budget is 3k
    not 2k", "its 50 kettles not 40"); a field named takes the value told with it ("the where
    is wrong, it's Salford, not Manchester", "the when is wrong, we need them before 18
    dec"), or is asked again; the parts that name no field and replace nothing are read as
    additions (`additions_told`). `chosen`: the field picked with a button."""
    sheet = dict(sheet)
    changes: Dict[str, Optional[str]] = {}
    unread: List[str] = []
    # (a button pressed has no words: its field is asked again)
    # (an addition to a line named is read whole: "the what should also say 150 units" is no
    # two corrections)
    whole = adds_to_a_line(text) and (chosen or field_named_in(text)) is not None
    for part in ([text] if whole else correction_parts(text)) or [""]:
        field = chosen or field_named_in(part)
        added = words_added(part) if field is not None and adds_to_a_line(part) else None
        replaced = replacement(sheet, part, field) if added is None else None
        if added is not None and sheet.get(field) not in (None, NOT_KNOWN):
            changes[field] = sheet[field] = with_added(field, str(sheet[field]), added)[:MAX_ANSWER]
        elif replaced is not None:
            name, value = replaced
            changes[name] = sheet[name] = value[:MAX_ANSWER]
        elif field is not None:
            changes[field] = value_told(part) or _value_in(field, part)
        elif part.strip():
            unread.append(part)
    if unread and chosen is None:
        # what the parts that name no field tell ("Actually it's 42 chairs, not 40. And please
        # add that the company is Brightline Analytics Ltd": a customer run kept the 42 and
        # lost the company)
        for name, value in additions_told(sheet, " ".join(unread)).items():
            changes.setdefault(name, value)
    return changes


def additions_told(sheet: Dict[str, Optional[str]], text: str) -> Dict[str, str]:
    """The fields that words told at the read-back, naming no field, add to the sheet, with
    their new values: each field they tell must be one not answered yet or one whose line
    gathers (the How), or nothing is added. "delivered and assembled if possible, we'd pay
    by invoice" to "Is that all correct?" fell back, and a "Something else" handed the
    customer over (a customer run); a question to the shop is no addition."""
    if not text or is_skip(text) or asks_a_question(text) or field_named_in(text) is not None:
        return {}
    added: Dict[str, str] = {}
    for name, value in extract_needs(text).fields.items():
        earlier = sheet.get(name)
        if earlier in (None, NOT_KNOWN):
            added[name] = value[:MAX_ANSWER]
        elif adds_to(name, earlier, value):
            joined = with_added(name, str(earlier), value)
            if joined != earlier:
                added[name] = joined[:MAX_ANSWER]
        else:
            return {}  # a new value for an answered field is a correction, to be asked
    return added


_NO_VALUE = re.compile(r"\b(?:wrong|incorrect|not\s+right|mistake|typo|off)\b", re.IGNORECASE)


def _value_in(field: str, words: str) -> Optional[str]:
    """The value of `field` the extraction finds in a correction's words, if any."""
    found = extract_needs(words).fields.get(field) if words else None
    # ("the budget is wrong" names no value: it became the How "budget is wrong", a customer run)
    return found[:MAX_ANSWER] if found and not _NO_VALUE.search(found) else None


# ("it should say: budget £8,000, includes installation" was read by the extraction as
# "budget £8,000; installation", a customer run)
_TOLD = re.compile(
    r"\b(?:it'?s|its|it\s+is|should\s+(?:be|say|read)|is\s+now|change\s+it\s+to|make\s+it)(?:\s*:\s*|\s+)(.+?)"
    r"(?:,?\s+(?:not|rather\s+than|instead\s+of)\b.*)?[\s.!]*$", re.IGNORECASE)


# a line written as the sheet shows it: "How: £8k budget incl. installation"
_LINE_WRITTEN = re.compile(r"^\W*(?:(?:no|nope|sorry|actually)\W+)*(?:the\s+)?(?:%s)(?:\s+(?:line|field|part|bit))?"
                           r"\s*:\s*(.+?)[\s.!]*$" % "|".join(FIELDS), re.IGNORECASE)


def writes_a_line(words: str) -> bool:
    """Whether typed words give a field's line as the sheet shows it ("How: £8k budget")."""
    return _LINE_WRITTEN.match(words or "") is not None


_ONLY_A_FIELD = re.compile(r"^\W*(?:the\s+)?(?:%s)(?:\s+(?:line|one|part|bit|field))?(?:\s+(?:please|pls))?\W*$"
                           % "|".join(FIELDS), re.IGNORECASE)


def names_only_a_field(words: str) -> bool:
    """Whether typed words are only a field's name ("why", "the when"): the field button's
    title typed to "Which part should I change?"."""
    return _ONLY_A_FIELD.match(words or "") is not None


def value_told(words: str) -> Optional[str]:
    """The new value a typed correction tells ("it's Salford, not Manchester" → "Salford"),
    or None when it only names the field."""
    found = _LINE_WRITTEN.match(words or "") or _TOLD.search(words or "")
    value = found.group(1).strip(" ,;:") if found else ""
    return value[:MAX_ANSWER] if len(value) >= 2 else None


def extraction_details(tracker: Tracker) -> Dict[str, List[str]]:
    """Every entity the extraction found in the customer's messages since the need began."""
    texts: List[str] = []
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        text = (event.get("text") or "").strip()
        if text and not text.startswith("/"):
            texts.append(text)
        if message_intent(event) == "describe_need":
            break
    details: Dict[str, List[str]] = {}
    for text in reversed(texts):
        for label, values in extract_needs(text).details.items():
            details.setdefault(label, [])
            details[label] += [v for v in values if v not in details[label]]
    return details


class ActionSaveRequirement(Action):
    def name(self) -> Text:
        return "action_save_requirement"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        sheet = RequirementSheet.from_slots(tracker.current_slot_values())
        cleared: List[EventType] = [SlotSet(f"need_{field}", None) for field in FIELDS]
        conversation = gateway_conversation(tracker.sender_id)
        if conversation is None:  # outside the gateway (rasa shell): nothing to link it to
            dispatcher.utter_message(response="utter_needs_saved_in_chat")
            return cleared
        settings = Settings.from_env()
        with company_session() as session:
            customer_id = identified_customer(session, tracker) or conversation.customer_id
        store = RequirementStore(company_sessions())
        requirement_id = store.save(tracker.sender_id, conversation.channel, customer_id, sheet,
                                    extraction_details(tracker), settings.requirements_webhook_url)
        _email_copy(store, requirement_id, customer_id)
        # by email only to a known customer: no address was asked of anyone else
        dispatcher.utter_message(response="utter_needs_saved" if customer_id is not None
                                 else "utter_needs_saved_reply_here",
                                 requirement_ref=reference(requirement_id))
        _other_question(dispatcher, typed_text(tracker))
        events = cleared + [SlotSet("requirement_ref", reference(requirement_id))]
        if customer_id is None:
            # the reply is promised here: a ticket is the only way the team writes to this chat
            opened = open_requirement_ticket(tracker, reference(requirement_id), sheet)
            if opened is not None:
                events.append(SlotSet("handoff_ticket", str(opened.id)))
        return events


def _other_question(dispatcher: CollectingDispatcher, text: str) -> None:
    """A question asked with the yes ("yep perfect. oh also do you do trade discounts?") is
    not lost without a word: the customer is asked to send it again. When they will hear
    back is in the confirmation itself."""
    rest = after_a_plain_yes(text)
    if rest and asks_a_question(rest) and not _ABOUT_HEARING_BACK.search(rest):
        dispatcher.utter_message(response="utter_needs_saved_other_question")


def _email_copy(store: RequirementStore, requirement_id: int, customer_id: Optional[int]) -> None:
    """The written confirmation, by e-mail too when the customer is known."""
    if customer_id is None:
        return
    saved = store.get(requirement_id)
    with store.sessions() as session:
        customer = session.get(Customer, customer_id)
        if customer is None or not customer.email or saved is None:
            return
        queue_email(session, customer.email, "requirement_confirmed",
                    f"Your requirement {saved['reference']}", to_markdown(saved), utcnow())
        session.commit()
