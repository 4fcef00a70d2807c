"""Where a customer's refund is: `action_refund_status`, for a verified order.

The facts come from the order (its return, or its cancellation) through
company.policies.refund_of, which also decides by when the refund must have arrived and
whether the company has paid it (the return, or the cancelled order's invoice, recorded
"refunded"). A return's refund is counted from its parcel's arrival: before the parcel has
reached us the answer says so, and how to post it, and nothing is late. An unpaid refund
later than its due day is not explained away: the customer gets an apology and a person
from billing, through the one escalation decision (handoff.escalation, signal
`refund_overdue`).
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Dict, List, Optional, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions import verification
from actions.company_db import company_session, ticket_store
from actions.handoff import gather_context, hand_over
from actions.help_centre import answer_with_passage_headed
from actions.phrasing import format_day, order_total, team_hours
from actions.plan_endings import refund_asked_after_a_plan_ending, tell_what_the_month_paid_becomes
from actions.posted_returns import posted_back_in_session
from actions.tracker_reading import typed_text
from company import policies
from company.delivery_areas import REFUSING_SECTION, asks_about_refusing_a_delivery
from company.identifiers import mask_email
from ground.clock import utcnow
from company.models import Order, OrderStatus
from company.money import format_pence
from company.policies import Refund
from handoff.escalation import (PRIORITY_HIGH, Decision, Reason, TurnSignals, decide,
                                signals_from_events)
from handoff.tickets import REASON_LABELS, TicketError


class ActionRefundStatus(Action):
    def name(self) -> Text:
        return "action_refund_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        if refund_asked_after_a_plan_ending(tracker):
            with company_session() as session:
                tell_what_the_month_paid_becomes(dispatcher, session)
            return []
        return tell_refund_status(dispatcher, tracker)


def tell_refund_status(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    """The refund of the verified order: none, awaiting the parcel, paid, on its way, or
    overdue (handed to a person)."""
    now = utcnow()
    if asks_about_refusing_a_delivery(typed_text(tracker)) and answer_with_passage_headed(
            dispatcher, REFUSING_SECTION, tracker):
        # "can i refuse delivery instead so it comes back to you? will i still get refunded"
        # was told there is no refund on the order (a customer run)
        return []
    with company_session() as session:
        order = verification.verified_order(tracker, session)
        if order is None:
            return []
        refund = policies.refund_of(order)
        if refund is None:
            return _no_refund(dispatcher, tracker, order, now)
        details = {"order_number": order.number, "refund": format_pence(refund.amount_pence),
                   "rma": refund.rma or "", "started_date": format_day(refund.started),
                   "due_date": format_day(refund.due) if refund.due else "",
                   "received_date": (format_day(refund.received_at) if refund.received_at
                                     else ""),
                   "refund_days": policies.REFUND_WORKING_DAYS}
        if refund.awaiting_parcel:
            response, label = _awaiting_parcel(session, order)
            dispatcher.utter_message(response=response, **label, **details)
            return []
        if refund.paid:
            paid_date = format_day(refund.paid_at) if refund.paid_at else ""
            dispatcher.utter_message(response=_paid_response(refund, now), paid_date=paid_date,
                                     **details)
            return []
        if not refund.overdue(now):
            dispatcher.utter_message(
                response="utter_refund_on_its_way" if refund.rma
                else "utter_refund_cancelled_on_its_way", **details)
            return []
        number = order.number
    dispatcher.utter_message(response="utter_refund_overdue", **details)
    ticket = _hand_over(tracker, number, refund)
    if ticket is None:
        dispatcher.utter_message(response="utter_human_contact", **team_hours())
        return []
    dispatcher.utter_message(response="utter_refund_overdue_handoff")
    return [SlotSet("handoff_ticket", str(ticket))]


def _paid_response(refund: Refund, now: datetime) -> str:
    """The response for a refund already paid: a return's or a cancellation's, naming the
    day it was paid when the company recorded that. Paid so long ago that it must show, the
    answer says so and offers billing to trace it: a refund paid months ago was called "on
    its way", and the customer who could not find it was turned away."""
    kind = "refund_paid" if refund.rma else "refund_cancelled_paid"
    if refund.paid_at is None:
        return f"utter_{kind}"
    return f"utter_{kind}_should_show" if refund.should_show(now) else f"utter_{kind}_on"


def _awaiting_parcel(session: Session, order: Order) -> Tuple[str, Dict[str, str]]:
    """The answer for a return whose parcel has not reached us, and where its free label
    went: with the label we emailed, the customer is asked to post the parcel with it."""
    latest = policies.latest_return(order)
    label = latest.label_email if latest is not None else None
    if label is None:
        return "utter_refund_awaiting_parcel", {}
    return "utter_refund_awaiting_parcel_label", {"masked_email": mask_email(label.to_address),
                                                  "label_date": format_day(label.created_at)}


def _no_refund(dispatcher: CollectingDispatcher, tracker: Tracker, order: Order,
               now: datetime) -> List[EventType]:
    """No return and no cancellation: how to start a return, when one is possible; a parcel
    well overdue goes to a person, whose team owes a replacement or a refund (a customer run:
    "just refund me" after "our team will ... refund it if it doesn't turn up" was told there
    was no refund on the order)."""
    if policies.parcel_well_overdue(order, now.date()):
        # routed as a missing parcel: a claim with the courier, then a replacement or refund
        return hand_over(dispatcher, tracker, Decision(True, (Reason.MISSING_PARCEL,), PRIORITY_HIGH))
    if posted_back_in_session(tracker) and order.status != OrderStatus.RETURNED:
        # posted back, not booked in: a person traces the parcel with the customer's proof
        dispatcher.utter_message(response="utter_refund_posted_no_return", order_number=order.number)
        return hand_over(dispatcher, tracker, Decision(True, (Reason.EVIDENCE,), PRIORITY_HIGH))
    if order.status == OrderStatus.RETURNED:  # returned without a return on record
        dispatcher.utter_message(response="utter_order_status_returned", order_number=order.number)
        return []
    if policies.cancellation_decision(order).allowed:
        # "I cancelled it last week and still no refund" for an order still being prepared: the
        # flat "no refund on it" left the customer believing it cancelled (a customer run)
        dispatcher.utter_message(response="utter_refund_not_cancelled_yet", order_number=order.number,
                                 total=order_total(order), refund_days=policies.REFUND_WORKING_DAYS)
        return []
    deadline = policies.return_deadline(order)
    if policies.return_decision(order, now).allowed and deadline is not None:
        dispatcher.utter_message(response="utter_refund_no_return", order_number=order.number,
                                 deadline=format_day(deadline))
        return []
    dispatcher.utter_message(response="utter_refund_none", order_number=order.number)
    return []


def _hand_over(tracker: Tracker, order_number: str, refund: Refund) -> Optional[int]:
    """A ticket for billing with the refund's facts; None where there is no gateway
    conversation to hand over (rasa shell)."""
    signals = signals_from_events(tracker.events, tracker.current_slot_values()) or TurnSignals()
    decision = decide(dataclasses.replace(signals, refund_overdue=True))
    customer_id, context = gather_context(tracker)
    context["decision"] = decision.to_json()
    context["refund"] = {
        "order_number": order_number, "rma": refund.rma, "amount_pence": refund.amount_pence,
        "started": refund.started.isoformat() + "Z",
        "received": refund.received_at.isoformat() + "Z" if refund.received_at else None,
        "due": refund.due.isoformat() if refund.due else None,
    }
    what = f"return {refund.rma}" if refund.rma else "cancellation"
    summary = (f"{REASON_LABELS[decision.reasons[0]].capitalize()}: the refund of "
               f"{format_pence(refund.amount_pence)} for order {order_number} ({what}) was due "
               f"by {refund.due:%Y-%m-%d} and has not been paid. Check the payment and tell "
               "the customer when it will arrive.")
    try:
        return ticket_store().open(tracker.sender_id, decision, context, summary, customer_id).id
    except TicketError:
        return None
