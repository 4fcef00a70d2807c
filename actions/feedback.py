"""Feedback the customer gives: free feedback (`feedback_form`, `action_capture_feedback`),
the optional comment after a rating (`rating_comment_form`,
`action_record_rating_comment`), and the rating offered when a conversation the bot
handled ends (`action_offer_rating`).

Every piece is stored with its kind, topic and feeling (feedback.capture) and thanked for
what it says; a negative one opens a follow-up ticket for a person (the closed loop). The
comment form runs only after a rating was just stored (actions.ratings), and a comment is
stored only against that rating, once: a comment with no rating to go with is not kept.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.company_db import company_session, company_sessions, gateway_conversation, ticket_store
from actions.product_details import tell_prices
from actions.tracker_reading import asks_instead_of_answering, entity_values, latest_intent, message_intent, slot_text, typed_text
from actions.handoff import gather_context
from feedback.capture import (awaits_comment, is_negative, read_feedback, record_feedback,
                              says_nothing_yet)
from company import catalog, policies
from company.money import format_pence
from feedback.models import FeedbackKind
from handoff.escalation import Reason
from handoff.ratings import open_follow_up
from needs.extraction import NOT_KNOWN, is_skip

MAX_TEXT = 2000
# a question about a product, which reads like praise to the model ("is the Aurora kettle any
# good?" was thanked as a compliment and stored as one); "can you tell the team the kettle is
# great?" asks nothing about the product. A question put the other way round needs no question
# mark ("is the aurora kettle better than the other kettle you sell" was thanked, a customer
# run); one that starts "how" or "what" does ("what a kettle!")
_PRODUCT_QUESTION = re.compile(
    r"^\W*(?:(?:is|are|does|do|would|will|should|which|any)\b.*|(?:how|what)\b.*\?\s*)$",
    re.IGNORECASE | re.DOTALL)
# what a conversation holds besides a real request (no rating is asked after these alone)
SMALL_TALK = frozenset({"greet", "goodbye", "thanks", "bot_challenge", "affirm", "deny",
                        "rate", "give_feedback", "nlu_fallback", "out_of_scope"})
# (and a request for a person or a complaint the NLU is sure of: asks_instead_of_answering)
NOT_AN_ANSWER = frozenset({"stop_contact"})


def _follow_up(tracker: Tracker, summary: str) -> int:
    """Opens the closed-loop ticket with everything the conversation knows."""
    _, context = gather_context(tracker)
    return open_follow_up(ticket_store(), tracker.sender_id, Reason.NEGATIVE_FEEDBACK, summary,
                          context)


class ValidateFeedbackForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_feedback_form"

    async def extract_feedback_text(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> Dict[Text, Any]:
        text = typed_text(tracker, MAX_TEXT)
        if not text or latest_intent(tracker) in NOT_AN_ANSWER or asks_instead_of_answering(tracker):
            return {}
        if tracker.get_slot("requested_slot") == "feedback_text" or not says_nothing_yet(text):
            return {"feedback_text": text}
        return {}


class ActionCaptureFeedback(Action):
    def name(self) -> Text:
        return "action_capture_feedback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        text = slot_text(tracker.get_slot("feedback_text")) or ""
        if _PRODUCT_QUESTION.match(text):
            with company_session() as session:
                several = catalog.products_named_apart(session, entity_values(tracker.latest_message, "product"))
                if len(several) > 1:
                    # "are the nimbus headphones better than the cove speaker": each one's price
                    tell_prices(dispatcher, several)
                    return [SlotSet("feedback_text", None)]
                product = catalog.find_product(session, text)
                if product is not None:
                    dispatcher.utter_message(
                        response="utter_product_opinion", product=product.name,
                        price=format_pence(product.price_pence), months=product.warranty_months,
                        window_days=policies.RETURN_WINDOW_DAYS)
                    return [SlotSet("feedback_text", None), SlotSet("product", product.name)]
        reading = read_feedback(text)
        sessions = company_sessions()
        conversation = gateway_conversation(tracker.sender_id)
        follow_up: Optional[int] = None
        if conversation is not None:  # outside the gateway (rasa shell) nothing is stored
            if is_negative(reading):
                follow_up = _follow_up(tracker, f"Negative feedback ({reading.category}): a "
                                                "person should get back to the customer.")
            record_feedback(sessions, tracker.sender_id, conversation.customer_id, text,
                            reading, follow_up_ticket_id=follow_up)
        response = {FeedbackKind.COMPLIMENT: "utter_feedback_thanks_compliment",
                    FeedbackKind.SUGGESTION: "utter_feedback_thanks_suggestion"}.get(
            reading.kind, "utter_feedback_thanks_negative" if is_negative(reading)
            else "utter_feedback_thanks")
        events: List[EventType] = [SlotSet("feedback_category", reading.category),
                                   SlotSet("feedback_text", None)]
        dispatcher.utter_message(response=response)
        if follow_up is not None:
            events.append(SlotSet("handoff_ticket", str(follow_up)))
        return events


class ValidateRatingCommentForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_rating_comment_form"

    async def extract_rating_comment(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                     domain: DomainDict) -> Dict[Text, Any]:
        text = typed_text(tracker, MAX_TEXT)
        if tracker.get_slot("requested_slot") != "rating_comment" or not text:
            return {}
        if is_skip(text) or latest_intent(tracker) in {"deny", "stop_contact", "thanks", "goodbye"}:
            return {"rating_comment": NOT_KNOWN}
        return {"rating_comment": text}


class ActionRecordRatingComment(Action):
    def name(self) -> Text:
        return "action_record_rating_comment"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        comment = slot_text(tracker.get_slot("rating_comment")) or ""
        events = keep_rating_comment(dispatcher, tracker, comment, slot_text(tracker.get_slot("rating_id")))
        return [SlotSet("rating_comment", None), SlotSet("rating_id", None), *events]


def keep_rating_comment(dispatcher: CollectingDispatcher, tracker: Tracker, comment: str,
                        rating_id: Optional[str]) -> List[EventType]:
    """Stores the comment on the rating just given (asked for, or said with the score) and
    thanks for it; a negative one opens a follow-up ticket for a person."""
    if not comment or comment == NOT_KNOWN:
        dispatcher.utter_message(response="utter_rating_no_comment")
        return []
    reading = read_feedback(comment, kind=FeedbackKind.RATING_COMMENT)
    sessions = company_sessions()
    conversation = gateway_conversation(tracker.sender_id)
    follow_up: Optional[int] = None
    if conversation is not None:
        rated = int(rating_id) if rating_id and rating_id.isdigit() else None
        if not awaits_comment(sessions, tracker.sender_id, rated):
            dispatcher.utter_message(response="utter_ok_anything_else")
            return []
        if is_negative(reading):
            follow_up = _follow_up(tracker, "The customer left a negative comment with "
                                            "their rating; a person should follow up.")
        record_feedback(sessions, tracker.sender_id, conversation.customer_id, comment,
                        reading, rating_id=rated, follow_up_ticket_id=follow_up)
    if follow_up is None:
        dispatcher.utter_message(response="utter_rating_comment_thanks")
        return []
    dispatcher.utter_message(response="utter_rating_comment_follow_up")
    return [SlotSet("handoff_ticket", str(follow_up))]


# forms that only ask for details, left when the customer says goodbye in them (a free-text
# form reads the goodbye as its answer: no comment, nothing to add; the address form asks to
# confirm a change, and a goodbye there would leave it unsaid whether it was made)
LEFT_AT_GOODBYE = frozenset({"order_form", "password_reset_form", "contact_form",
                             "newsletter_form", "newsletter_unsubscribe_form", "erasure_form"})


class ActionOfferRating(Action):
    """When a conversation the bot handled ends, it asks once for a rating."""

    def name(self) -> Text:
        return "action_offer_rating"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        if (tracker.active_loop or {}).get("name") in LEFT_AT_GOODBYE:
            # "thanks bye" where an email or order number was asked got the rating question
            # and then the form's question again, and "4" was told it was no email address
            # (a customer run): the customer left before anything was done
            return [ActiveLoop(None), SlotSet("requested_slot", None)]
        if tracker.get_slot("rating_asked"):
            return []
        intents = {message_intent(e)
                   for e in tracker.events if e.get("event") == "user"}
        asked_something = any(intent and intent not in SMALL_TALK
                              and not intent.startswith("EXTERNAL_") for intent in intents)
        if not asked_something:
            return []
        dispatcher.utter_message(response="utter_ask_rating")
        return [SlotSet("rating_asked", True)]
