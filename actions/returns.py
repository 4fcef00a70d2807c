"""The returns policy, and starting a return for a delivered order."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Dict, List, Optional, Text, Tuple

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import verification
from actions.company_db import company_session
from actions.tracker_reading import latest_entity, slot_text, typed_text
from actions.phrasing import format_day, registered_return
from actions.warranty import FAULT_SLOT, OFFERED_SLOT, covers_phrase, split_covers
from company import orders as order_service
from company import policies
from ground.clock import utcnow
from company.identifiers import mask_email
from company.models import Order, OrderStatus
from company.policies import Cover
from company.money import format_pence

MAX_REASON_LENGTH = 500
# Which response explains a refused return, by the policy's reason code.
_REFUSAL_RESPONSES = {
    "window_closed": "utter_return_window_closed",
    OrderStatus.PLACED: "utter_return_not_delivered",
    OrderStatus.PROCESSING: "utter_return_not_delivered",
    OrderStatus.SHIPPED: "utter_return_not_delivered",
}


def usable_reason(text: Optional[str]) -> Optional[str]:
    """The words as a return's reason: a few letters at least, and not an essay."""
    reason = (text or "").strip()
    if len(re.findall(r"[^\W\d_]", reason)) < 3 or len(reason) > MAX_REASON_LENGTH:
        return None
    return reason


def _refusal(reason: str, order: Order, now: datetime) -> Tuple[str, List[Cover]]:
    """The response that explains a refused return, and the warranties it names. Past the
    window a fault may still be under warranty: the answer says so and offers a claim
    (actions/warranty.py), or says that the warranty has ended too."""
    if reason == "window_closed":
        covered, ended = split_covers(order, now.date())
        if covered:
            return "utter_return_window_closed_warranty", covered
        if ended:
            return "utter_return_window_closed_warranty_ended", ended
    if reason == "already_returned" and order.returns:
        return "utter_return_already_registered", []
    return _REFUSAL_RESPONSES.get(reason, "utter_return_closed"), []


class ActionReturnPolicy(Action):
    def name(self) -> Text:
        return "action_return_policy"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        dispatcher.utter_message(
            response="utter_return_policy", window_days=policies.RETURN_WINDOW_DAYS,
            refund_days=policies.REFUND_WORKING_DAYS,
        )
        return []


class ActionCheckReturn(Action):
    """Opens the return form when the order can be returned, explains otherwise."""

    def name(self) -> Text:
        return "action_check_return"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        with company_session() as session:
            order = verification.verified_order(tracker, session)
            if order is None:
                return [SlotSet("return_allowed", False), SlotSet(OFFERED_SLOT, False)]
            now = utcnow()
            decision = policies.return_decision(order, now)
            if not decision.allowed:
                response, covers = _refusal(decision.reason, order, now)
                dispatcher.utter_message(
                    response=response, order_number=order.number,
                    window_days=policies.RETURN_WINDOW_DAYS, products=covers_phrase(covers),
                    **registered_return(order),
                )
                # every check says whether it offered a claim: the rules after it need to know
                offered = response == "utter_return_window_closed_warranty"
                # the fault told stays for the claim offered, and only for it
                kept = tracker.get_slot(FAULT_SLOT) if offered else None
                return [SlotSet("return_allowed", False), SlotSet(OFFERED_SLOT, offered),
                        SlotSet(FAULT_SLOT, kept)]
            deadline = policies.return_deadline(order)
            dispatcher.utter_message(
                response="utter_return_allowed", order_number=order.number,
                deadline=format_day(deadline) if deadline else "",
            )
        # a fault already told is the reason: the return form does not ask for it again
        return [SlotSet("return_allowed", True),
                SlotSet("return_reason", usable_reason(slot_text(tracker.get_slot(FAULT_SLOT)))),
                SlotSet(OFFERED_SLOT, False), SlotSet(FAULT_SLOT, None)]


class ValidateReturnForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_return_form"

    def validate_return_reason(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        reason = usable_reason(slot_text(value))
        if reason is None:
            dispatcher.utter_message(response="utter_return_reason_invalid")
        return {"return_reason": reason}


class ActionStartReturn(Action):
    """Registers the return and queues the free returns label."""

    def name(self) -> Text:
        return "action_start_return"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        done = [SlotSet("return_allowed", None), SlotSet("return_reason", None),
                SlotSet(FAULT_SLOT, None)]
        reason = slot_text(tracker.get_slot("return_reason"))
        with company_session() as session:
            order = verification.verified_order(tracker, session)
            if order is None or not reason:
                return done
            try:
                request = order_service.start_return(session, order, reason, utcnow())
            except order_service.NotAllowed:
                dispatcher.utter_message(response="utter_return_closed", order_number=order.number)
                return done
            dispatcher.utter_message(
                response="utter_return_started", rma=request.rma, order_number=order.number,
                masked_email=mask_email(order.customer.email),
                refund=format_pence(request.refund_pence),
            )
        return done


class ActionReportFault(Action):
    """A fault told in the customer's own words after a warranty answer's "tell me"
    ("it stopped heating"): kept as the reason, and the order is identified for the return
    (or, past the return window, the claim)."""

    def name(self) -> Text:
        return "action_report_fault"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        events: List[EventType] = [SlotSet("order_task", "return")]
        # an email or postcode told here proves the order; it is not the fault
        if latest_entity(tracker, "email") or latest_entity(tracker, "postcode"):
            return events
        dispatcher.utter_message(response="utter_fault_noted")
        return events + [SlotSet(FAULT_SLOT, usable_reason(typed_text(tracker)))]
