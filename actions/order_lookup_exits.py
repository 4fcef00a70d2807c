"""The order lookup left in words: "forget the order. how do i descale the aurora kettle?",
"I DON'T HAVE AN ORDER NUMBER. stop asking", "start over".

A question about a kettle's limescale was taken for a fault, the lookup asked for the order
number, and every way out was read as something else: the number asked again six times,
"cancel" taken as cancelling the order (a customer run). Where the lookup asks for the
order's number or its proof, such words (`leaves_the_lookup`, read by
bot/policies/order_lookup_exits.py) end it; a question asked with them that the help centre
answers is answered, otherwise the customer is asked what they need.
"""

from __future__ import annotations

import re
from typing import List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.company_db import company_session
from actions.help_centre import answer_from_help_centre
from actions.plan_endings import tell_how_to_end_a_plan
from actions.orders import returns_a_gift
from actions.tracker_reading import latest_entity, slot_text
from company.identifiers import mask_email, normalise_email
from company.order_numbers import email_order_numbers
from ground.clock import utcnow
from ground.giving_up import GIVING_UP, LEAVING_IT
from handoff.gifts import received_as_a_gift

ACTION_NAME = "action_leave_order_lookup"
# the questions of the lookup this reads the answers to
ASKED_SLOTS = frozenset({"order_number", "order_verifier"})
ORDER_NUMBERS_SENT = "utter_order_numbers_sent"

# (besides the words that drop any question: ground/giving_up.py)
# the customer has no order number: told where to find it, and that a person can look it up
_NO_NUMBER = (r"\b(?:i\s+)?(?:do\s*n[o']?t|dont|don't|do\s+not)\s+have\s+(?:an?|the|my|any)\s+order(?:\s+(?:number|no|#))?"
              r"(?:\s*,?\s*(?:i'?m|im|i\s+am)\s+afraid)?"
              r"|\bno\s+order\s+(?:number|no)\b(?:\s*,?\s*(?:i'?m|im|i\s+am)\s+afraid)?")
_LEAVES = re.compile(
    GIVING_UP + "|" + _NO_NUMBER
    + r"|\bforget\s+(?:about\s+)?(?:the|my|this|that)?\s*order\b|\bforget\s+that\b|\bstart\s+(?:over|again)\b"
    r"|\b(?:i\s+)?(?:do\s*n[o']?t|dont|don't|do\s+not)\s+need\s+(?:an?|the|my|any)\s+order(?:\s+(?:number|no|#))?"
    r"|\bnot\s+(?:about\s+)?(?:an?|my|the)\s+order\b"
    r"|\bi\s+(?:just|only)\s+want(?:ed)?\s+to\s+(?:know|ask)\b|\bjust\s+tell\s+me\b"
    # ("leave it for now. how long have i got to change it before it ships?" where the proof was
    # asked got "I didn't see an email address or a postcode in that": a customer run)
    + "|" + LEAVING_IT,
    re.IGNORECASE)
_HAS_NO_NUMBER = re.compile(_NO_NUMBER, re.IGNORECASE)
# ... and, said where the number is asked, "i dont have it, deleted the email" (a customer run:
# the number was asked again, and again)
_HAS_NONE = re.compile(
    r"\b(?:i\s+)?(?:do\s*n[o']?t|dont|do\s+not|have\s*n[o']?t|havent|have\s+not)\s+(?:have|got)\s+(?:it|one|that)\b"
    r"|\b(?:i\s+)?(?:deleted|lost|binned|can'?t\s+find)\s+the\s+(?:confirmation\s+)?e-?mail\b", re.IGNORECASE)
# ... and the order found without its number ("i dont have the order number, i deleted the
# email. can you look it up with my email …?" got the article on confirmation emails, and no
# person offered: a customer run): where the number is, and a person who can look it up
_FIND_IT_ANOTHER_WAY = re.compile(r"\blook\s+(?:it\s+|them\s+|my\s+order\s+)?up\b|\bfind\s+(?:it|my\s+order|the\s+order)\b"
                                  r"|\bsearch\b|\b(?:with|by|using|from)\s+my\s+(?:e-?mail|name|postcode|address)\b",
                                  re.IGNORECASE)
# fewer words than this beside the leaving words ask no question of their own
_QUESTION_WORDS = 3
# a cancellation that was the plan's: "not an order! the harbor club membership" where the
# order number was asked (a customer run: the number was asked again, with the plans' prices)
_MEMBERSHIP = re.compile(r"\b(?:harbou?r\s+club|membership|plan|subscription)\b", re.IGNORECASE)


def leaves_the_lookup(text: str, asked: str = "") -> bool:
    """Whether words said to the order lookup's question (for the slot `asked`) leave it."""
    return _LEAVES.search(text or "") is not None or _number_missing(text, asked)


def _number_missing(text: str, asked: str) -> bool:
    """Whether the words, said where the order number is asked, say there is none to give."""
    return asked == "order_number" and (_HAS_NO_NUMBER.search(text or "") is not None
                                        or _HAS_NONE.search(text or "") is not None)


def _asks_the_help_centre(text: str, missing: bool) -> bool:
    """Whether the words beside the leaving ones are a question for the help centre. Not the
    leaving words alone ("I don't have the order number" found the warranty article's "your
    order number is your proof of purchase": a customer run), nor a missing number to be found
    another way, which a person does."""
    asks_more = len(_HAS_NONE.sub(" ", _LEAVES.sub(" ", text)).split()) >= _QUESTION_WORDS
    return asks_more and not (missing and _FIND_IT_ANOTHER_WAY.search(text))


def _email_offered(tracker: Tracker) -> Optional[str]:
    """The email address the customer gave with the words, or earlier in the conversation
    (the email slot: told as the proof before the number, or for another task)."""
    return normalise_email(latest_entity(tracker, "email") or slot_text(tracker.get_slot("email")))


def _send_order_numbers(dispatcher: CollectingDispatcher, tracker: Tracker, email: str) -> None:
    """ "i dont have the order number, can you use my email alice.morgan@…" was told where the
    number is (a customer run): the account's order numbers go to that address, if it has one
    (said the same way either way: company/order_numbers.py), once per conversation at most."""
    if not any(event.get("event") == "bot" and (event.get("metadata") or {}).get("utter_action") == ORDER_NUMBERS_SENT
               for event in tracker.events):
        with company_session() as session:
            email_order_numbers(session, email, utcnow())
    dispatcher.utter_message(response=ORDER_NUMBERS_SENT, masked_email=mask_email(email))


class ActionLeaveOrderLookup(Action):
    """Ends the order lookup and answers the question asked with the leaving words, if the
    help centre can; otherwise says the order is left and asks what the customer needs."""

    def name(self) -> Text:
        return ACTION_NAME

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        text = (tracker.latest_message or {}).get("text") or ""
        dispatcher.utter_message(response="utter_order_lookup_left")
        if tracker.get_slot("order_task") == "cancel" and _MEMBERSHIP.search(text):
            with company_session() as session:
                tell_how_to_end_a_plan(dispatcher, session)
            return self._left()
        missing = _number_missing(text, str(tracker.get_slot("requested_slot") or ""))
        offered = _email_offered(tracker)
        if missing and (returns_a_gift(tracker) or received_as_a_gift(text)):
            # who has a gift's number, and a person to find the order without it ("i dont have it,
            # it was a gift" got the gift article's "return it with the gift receipt or the order
            # number", and no way on)
            dispatcher.utter_message(response="utter_where_gift_order_number")
        elif missing and offered is not None:
            _send_order_numbers(dispatcher, tracker, offered)
        elif not (_asks_the_help_centre(text, missing) and answer_from_help_centre(dispatcher, tracker)):
            dispatcher.utter_message(response="utter_where_order_number" if missing
                                     else "utter_order_lookup_left_what_else")
        return self._left()

    @staticmethod
    def _left() -> List[EventType]:
        return [ActiveLoop(None), SlotSet("requested_slot", None), SlotSet("order_task", None),
                SlotSet("order_number", None)]
