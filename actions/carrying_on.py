"""Back with the assistant after leaving the queue: the task the customer was doing before
the handoff is offered again.

A customer who would rather carry on here than wait for the team ("cancel the handoff, I'll
do it with you") was asked "What can I do for you?" as if they had said nothing, though
they were halfway through a return or an address change when the person was called (3 of 3
in a customer run). The task they asked for last before the handoff, when it was not done
(a form was asking when the person was called, the assistant was asking something, or the
person was called in reply to the request itself), goes on: an order's task at once, with
its order, anything else offered as a button that asks it again.
"""

from __future__ import annotations

import json
from typing import Any, Dict, List, Optional, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.tracker_reading import message_intent, response_text
from conversations.reply_reading import waits_for_an_answer

# the tasks worth going back to (a question of the shop's facts is asked again in a moment)
TASKS = frozenset({
    "order_status", "change_address", "cancel_order", "start_return", "request_invoice",
    "refund_status", "payment_problem", "reset_password", "update_contact_details",
    "create_account", "signup_problem", "switch_account", "close_account",
    "newsletter_subscribe", "newsletter_unsubscribe", "describe_need",
})
# the details the task is asked again with: which order, never a proof of identity
DETAILS_KEPT = frozenset({"order_number"})
HANDOFF_SLOT = "handoff_ticket"
MAX_PAYLOAD = 300


def task_before_the_handoff(events: List[Dict[str, Any]]) -> Optional[Tuple[str, str]]:
    """The task (intent) the customer left undone when the conversation's latest handoff
    happened in this session, with the button payload that asks it again; None when there is
    none, or it was done before the person was called."""
    undone = _undone_task(events)
    return (undone["intent"], _asked_again(undone)) if undone is not None else None


def _undone_task(events: List[Dict[str, Any]]) -> Optional[Dict[str, Any]]:
    """`task_before_the_handoff`'s task: its intent and details (the order)."""
    task: Optional[Dict[str, Any]] = None  # the latest task asked for and not yet over
    latest_was_task = False  # the customer's latest message asked for it
    loop: Optional[str] = None
    loop_at_action: Optional[str] = None  # the form asking when the latest action started
    form_ended = False  # a form ended since the customer's latest message (a handoff ends one too)
    asking = False  # the assistant's latest reply asks something ("are you sure you want to cancel?")
    was_asked = False  # ... as the customer's latest message came
    undone: Optional[Dict[str, Any]] = None
    for event in events:
        kind = event.get("event")
        if kind == "user" and form_ended and loop is None and not asking:
            # ended by itself, and nothing went on with the task (the order check is followed
            # by the return's questions, or the cancellation's "are you sure?"): done or given up
            task, form_ended = None, False
        if kind == "session_started":
            task, latest_was_task, loop, undone = None, False, None, None
        elif kind == "bot":
            asking = _asks(event)
        elif kind == "user":
            was_asked, asking = asking, False
            intent = message_intent(event)
            latest_was_task = intent in TASKS
            if latest_was_task:
                task = {"intent": intent, "details": {}}
            if task is not None:  # the order told with the request, or asked for after it
                task["details"].update(_details(event.get("parse_data") or {}))
        elif kind == "action":
            loop_at_action = loop
        elif kind == "active_loop":
            form_ended = event.get("name") is None and (form_ended or loop is not None)
            loop = event.get("name")
        elif kind == "slot" and event.get("name") == HANDOFF_SLOT and event.get("value"):
            called_mid_task = loop_at_action is not None or latest_was_task or was_asked
            undone = task if called_mid_task else None
            task, form_ended = None, False
    return undone


def _asks(bot_event: Dict[str, Any]) -> bool:
    return waits_for_an_answer(str(bot_event.get("text") or ""), (bot_event.get("data") or {}).get("buttons"))


def _details(parse_data: Dict[str, Any]) -> Dict[str, Any]:
    return {item["entity"]: item["value"] for item in parse_data.get("entities") or []
            if item.get("entity") in DETAILS_KEPT and item.get("value")}


def _asked_again(task: Dict[str, Any]) -> str:
    """The payload of a button that asks `task` again, with its details when they fit."""
    intent = str(task["intent"])
    payload = f"/{intent}" + (json.dumps(task["details"]) if task["details"] else "")
    return payload if len(payload) <= MAX_PAYLOAD else f"/{intent}"


# an order's task goes on at once: the order check runs again (it passes at once when the
# order was proved before the handoff) and the task's own questions follow (data/rules/orders.yml);
# offered as a button, a typed answer to the question it stopped at was not understood (4 of 4)
ORDER_TASKS = {"order_status": "status", "change_address": "change_address", "cancel_order": "cancel",
               "start_return": "return", "request_invoice": "invoice", "refund_status": "refund"}
ORDER_CHECK = "order_form"
# ... and a contact detail's change at its form's next question (a later run: with a button, a
# typed "yes", the new number or the postcode went unread, 4 of 4)
ACCOUNT_FORMS = {"update_contact_details": "contact_form"}


class ActionCarryOnHere(Action):
    """The customer left the queue to carry on with the assistant (the gateway took them out)."""

    def name(self) -> Text:
        return "action_carry_on_here"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        undone = _undone_task(tracker.events)
        topic = response_text(domain, f"utter_topic_{undone['intent']}") if undone else ""
        if undone is None or not topic:
            dispatcher.utter_message(response="utter_carry_on_here")
            return []
        intent = undone["intent"]
        if intent in ORDER_TASKS:
            dispatcher.utter_message(response="utter_carry_on_going_on", topic=topic)
            order = undone["details"].get("order_number")
            return ([SlotSet("order_task", ORDER_TASKS[intent])]
                    + ([SlotSet("order_number", order)] if order else [])
                    + [FollowupAction(ORDER_CHECK)])
        if intent in ACCOUNT_FORMS:
            dispatcher.utter_message(response="utter_carry_on_going_on", topic=topic)
            return [FollowupAction(ACCOUNT_FORMS[intent])]
        dispatcher.utter_message(response="utter_carry_on_with_task", topic=topic,
                                 buttons=[{"title": topic, "payload": _asked_again(undone)}])
        return []
