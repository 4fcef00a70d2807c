"""Leaving an account form in words: the password reset, the newsletter sign-up and stop,
and the erasure request, which ask for an email address.

A customer run: "never mind, don't unsubscribe me" where the newsletter stop asked for the
address got "That doesn't look like an email address" three times, and "cancel" there
started an order's cancellation. A plain "no" leaves these forms by the rules
(data/rules/forms.yml); words that drop what is asked (ground/giving_up.py), "cancel" or
"stop" alone, or not wanting the form's own task ("don't unsubscribe me") leave them here
(bot/policies/account_form_exits.py). Where the sign-up asks, wanting off the list instead
("NO. take me OFF it": left with "anything else?", a customer run) stops the newsletter.
"""

from __future__ import annotations

import re
from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from ground.giving_up import gives_up

ACTION_NAME = "action_leave_account_form"
FORMS = frozenset({"password_reset_form", "newsletter_form", "newsletter_unsubscribe_form", "erasure_form"})
SIGN_UP_FORM, STOP_FORM = "newsletter_form", "newsletter_unsubscribe_form"

_DROPPED = re.compile(
    r"^\W*(?:(?:no|ok|okay|actually|just|please|pls)\W+)*(?:cancel|stop|quit|exit|abort)(?:\s+(?:it|that|this|please|pls))*\W*$"
    r"|\b(?:do\s*n[o']?t|dont|don't|do\s+not|no\s+need\s+to)\s+(?:want\s+to\s+|need\s+to\s+)?"
    r"(?:unsubscribe|unsub|sign\s+me\s+up|subscribe|reset|delete|erase|close)\b",
    re.IGNORECASE)
# off the list instead of on it: "take me OFF it", "i want to unsubscribe", "stop sending them"
_WANTS_OFF = re.compile(
    r"\b(?:take|get|put)\s+me\s+off\b|\boff\s+(?:it|the\s+list|your\s+list|the\s+newsletter|the\s+mailing\s+list)\b"
    r"|(?<!n't\s)(?<!not\s)\b(?:unsubscribe|unsub)\b|\bstop\s+(?:sending|emailing)\b|\bremove\s+me\b",
    re.IGNORECASE)


def leaves_the_form(text: str) -> bool:
    """Whether the words leave an account form."""
    return gives_up(text) or _DROPPED.search(text or "") is not None


def wants_off_the_list(text: str) -> bool:
    """Whether the words, said where the sign-up asks, want off the newsletter instead."""
    return _WANTS_OFF.search(text or "") is not None and not leaves_the_form(text)


class ActionLeaveAccountForm(Action):
    """Ends the account form; from the sign-up, wanting off the list stops the newsletter."""

    def name(self) -> Text:
        return ACTION_NAME

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        events: List[EventType] = [ActiveLoop(None), SlotSet("requested_slot", None),
                                   SlotSet("account_email", None), SlotSet("account_postcode", None)]
        if tracker.active_loop.get("name") == SIGN_UP_FORM and wants_off_the_list(tracker.latest_message.get("text") or ""):
            dispatcher.utter_message(response="utter_newsletter_not_signed_up")
            return events + [FollowupAction(STOP_FORM)]
        dispatcher.utter_message(response="utter_ok_anything_else")
        return events + [FollowupAction("action_listen")]
