"""What a customer adds to their confirmed requirement later: "can I add something to
REQ-00015? we also want 250 coasters" was answered with "a person from our team can help",
and the coasters reached nobody (a customer run).

The words are added to the sheet (needs.records.RequirementStore.add_note: only by the
requirement's own conversation or customer, since anyone can type a reference), the teams'
webhook gets the sheet again, and the console shows them with it. A message that only asks to
add ("can I add something to REQ-00015?") is asked what (`ASK_RESPONSE`), and the reply is
the addition (`ACTION_NAME`, which bot/policies/no_order_yet.py predicts after that question),
unless it is a "no" or another request. Anything else about a reference ("REQ-00015, any
news?"), or a reference that is not the customer's, gets the answer of before: what it is,
when the team replies, and a person offered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.company_db import company_session, company_sessions, gateway_conversation
from actions.handoff import identified_customer
from actions.tracker_reading import said_before_latest_message
from ground.settings import Settings
from handoff.escalation import NOTE_QUESTION as ASK_RESPONSE
from needs.records import RequirementStore

ACTION_NAME = "action_add_requirement_note"
ADDED_RESPONSE = "utter_requirement_note_added"
NOT_ADDED_RESPONSE = "utter_requirement_note_not_added"
NAMED_RESPONSE = "utter_requirement_reference_named"
# "REQ-00015", "req 15": "ref REQ-00015, any news?" was asked for an order number, and the
# reference was "not one of our order numbers" (a customer run): the confirmation says to quote it
_REFERENCE = re.compile(r"\bREQ-?\s*(\d{1,7})\b", re.IGNORECASE)
# words that say something is being added to the request
_ADDS = re.compile(
    r"\b(?:add|adding|append|also\s+(?:want|need|like|require)|we'?d\s+also|i'?d\s+also|would\s+also\s+like"
    r"|forgot\s+to\s+(?:say|mention|add|tell)|one\s+more\s+thing|another\s+thing|update|amend)\b", re.IGNORECASE)
# the words of asking to add, which tell nothing to add themselves
_ASKING_WORDS = frozenset({
    "hi", "hello", "hey", "can", "could", "may", "i", "we", "please", "pls", "add", "adding", "append",
    "something", "anything", "a", "an", "note", "notes", "to", "my", "our", "the", "request", "requirement",
    "enquiry", "inquiry", "reference", "ref", "it", "more", "some", "details", "detail", "thing", "things",
    "few", "want", "like", "would", "d", "that", "this", "just", "quick", "on", "for", "into", "there",
    "is", "way", "possible", "how", "do", "update", "amend", "one", "another", "bit", "info",
    "information", "me", "let", "you", "your", "yes", "ok", "okay", "thanks", "thank"})
# a reply to "what would you like to add?" that adds nothing
_NOTHING = re.compile(r"^\W*(?:no|nope|nah|nothing|never\s*mind|nevermind|forget\s+it|cancel|it'?s\s+fine"
                      r"|don'?t\s+worry)\b", re.IGNORECASE)


def requirement_reference(text: str) -> Optional[str]:
    """The requirement reference a message names ("REQ-00015"), as the teams write it."""
    found = _REFERENCE.search(text or "")
    return f"REQ-{int(found.group(1)):05d}" if found else None


def requirement_id_of(reference_text: str) -> Optional[int]:
    """The requirement id a text's reference names ("REQ-00015" → 15)."""
    found = _REFERENCE.search(reference_text or "")
    return int(found.group(1)) if found else None


def adds_to_a_requirement(text: str) -> bool:
    """Whether a message naming a reference asks to add something to it."""
    return _ADDS.search(text or "") is not None


def tells_what_to_add(text: str) -> bool:
    """Whether a message that asks to add something also says what ("… we also want 250
    coasters"), not only that there is something ("can I add something to REQ-00015?")."""
    words = re.findall(r"[a-z0-9£$€]+", _REFERENCE.sub(" ", text or "").lower())
    return len([w for w in words if w not in _ASKING_WORDS]) >= 2


def adds_nothing(text: str) -> bool:
    """Whether a reply to "what would you like to add?" says there is nothing after all."""
    return _NOTHING.match(text or "") is not None


@dataclass(frozen=True)
class _Asker:
    """Who is asking, as the requirements' store checks it: this conversation, and the
    customer it knows, if any."""

    conversation_id: str
    customer_id: Optional[int]

    def owns(self, store: RequirementStore, requirement_id: int) -> bool:
        return store.is_theirs(requirement_id, self.conversation_id, self.customer_id)

    def adds(self, store: RequirementStore, requirement_id: int, text: str) -> bool:
        """Adds `text` to the requirement when it is theirs (checked again as it is written).
        True: added."""
        return store.add_note(requirement_id, self.conversation_id, self.customer_id, text,
                              Settings.from_env().requirements_webhook_url) is None


def _asker(tracker: Tracker) -> Optional[_Asker]:
    """The asker, or None outside the gateway (rasa shell), where nothing is stored."""
    conversation = gateway_conversation(tracker.sender_id)
    if conversation is None:
        return None
    with company_session() as session:
        return _Asker(tracker.sender_id, identified_customer(session, tracker) or conversation.customer_id)


def answer_about_reference(dispatcher: CollectingDispatcher, tracker: Tracker, named: str) -> None:
    """A message naming a requirement's reference: what it adds is added, a wish to add is
    asked what, and anything else (or a reference not the customer's) is told what the
    reference is, with a person offered."""
    text = str(tracker.latest_message.get("text") or "")
    requirement_id = requirement_id_of(named)
    if requirement_id is None or not adds_to_a_requirement(text):
        dispatcher.utter_message(response=NAMED_RESPONSE, requirement_ref=named)
        return
    asker, store = _asker(tracker), RequirementStore(company_sessions())
    if asker is None or not asker.owns(store, requirement_id):
        # (told what it is, "tell me what to add" sent "5 atlas office chairs" to a new
        # interview, a customer run)
        dispatcher.utter_message(response=NOT_ADDED_RESPONSE, requirement_ref=named)
    elif not tells_what_to_add(text):
        dispatcher.utter_message(response=ASK_RESPONSE, requirement_ref=named)
    else:
        added = asker.adds(store, requirement_id, text)
        dispatcher.utter_message(response=ADDED_RESPONSE if added else NOT_ADDED_RESPONSE, requirement_ref=named)


def reference_asked_about(tracker: Tracker) -> Optional[str]:
    """The reference in "What would you like to add to REQ-…?", when that was the assistant's
    last question."""
    said = said_before_latest_message(tracker)
    if not said or (said.get("metadata") or {}).get("utter_action") != ASK_RESPONSE:
        return None
    return requirement_reference(str(said.get("text") or ""))


class ActionAddRequirementNote(Action):
    """The reply to "What would you like to add to REQ-…?": added to the requirement, or,
    for a "no", nothing."""

    def name(self) -> Text:
        return ACTION_NAME

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        named = reference_asked_about(tracker)
        text = str(tracker.latest_message.get("text") or "")
        if named is None or adds_nothing(text):
            dispatcher.utter_message(response="utter_ok_anything_else")
            return []
        asker = _asker(tracker)
        added = asker is not None and asker.adds(RequirementStore(company_sessions()),
                                                 requirement_id_of(named) or 0, text)
        dispatcher.utter_message(response=ADDED_RESPONSE if added else NOT_ADDED_RESPONSE, requirement_ref=named)
        return []
