"""Hands the conversation to a person: `action_handoff`.

The escalation policy runs it when `handoff.escalation.decide` says so (and a customer
can ask for it with a button). It opens the ticket with everything the assistant knows,
then answers the customer: the feeling first when the case is emotional, then that a
person is taking over and how long that should take. Outside the gateway (rasa shell)
there is no conversation to queue, so it gives the team's contact details instead.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.company_db import company_session, ticket_store
from actions.phrasing import team_hours
from actions.tracker_reading import slot_text
from ground.clock import utcnow
from ground.settings import Settings
from company.accounts import find_customer_by_email
from company.orders import find_order
from handoff.context import customer_profile, summary, tracker_context
from handoff.escalation import (PRIORITY_NORMAL, TASK_FORMS, Decision, Reason, decide,
                                handoff_opening, signals_from_events, task_intent, turn_decision)
from handoff.tickets import REASON_LABELS, OpenedTicket, TicketError, TicketStore
from handoff.wait import wait_news


def identified_customer(session: Session, tracker: Tracker) -> Optional[int]:
    """The company customer this conversation has proved to be, if any."""
    verified = slot_text(tracker.get_slot("verified_order"))
    if verified:
        order = find_order(session, verified)
        if order is not None:
            return order.customer_id
    customer = find_customer_by_email(session, slot_text(tracker.get_slot("account_verified")))
    return customer.id if customer is not None else None


def handoff_decision(tracker: Tracker, domain: DomainDict) -> Decision:
    """The escalation decision for this turn, as the escalation policy made it."""
    slot_name = TASK_FORMS.get(tracker.latest_action_name or "")
    task = None
    if slot_name is not None:  # right after the form that proved who the customer is
        mappings = (domain.get("slots", {}).get(slot_name) or {}).get("mappings", [])
        task = task_intent(slot_text(tracker.get_slot(slot_name)), mappings)
    decision = turn_decision(tracker.events, tracker.current_slot_values(), task)
    if decision is None or not decision.escalate:
        # reached without the policy (a "talk to a person" button): the customer asked
        return Decision(True, (Reason.REQUESTED,), PRIORITY_NORMAL)
    return decision


def gather_context(tracker: Tracker) -> tuple[Optional[int], Dict[str, Any]]:
    """The company customer (if proved) and everything a ticket should carry."""
    with company_session() as session:
        customer_id = identified_customer(session, tracker)
        profile = customer_profile(session, customer_id)
    context: Dict[str, Any] = tracker_context(tracker.events, tracker.current_slot_values())
    context["profile"] = profile
    return customer_id, context


class ActionHandoff(Action):
    def name(self) -> Text:
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        signals = signals_from_events(tracker.events, tracker.current_slot_values())
        if signals is not None and signals.bare_prompt and not decide(signals).escalate:
            # "and?" after an answer, a complaint to the model and so to the complaint rule,
            # handed the customer over (3 of 3 in a customer run): the clarification offers
            # the topic just answered instead
            return [FollowupAction("action_clarify")]  # actions/fallback.py (imports this module)
        return hand_over(dispatcher, tracker, handoff_decision(tracker, domain))


def hand_over(dispatcher: CollectingDispatcher, tracker: Tracker, decision: Decision) -> List[EventType]:
    """Opens the ticket for `decision` with everything the conversation knows, and tells the
    customer a person is taking over (or how to reach the team, when no ticket can open)."""
    settings = Settings.from_env()
    customer_id, context = gather_context(tracker)
    context["decision"] = decision.to_json()
    text = summary([REASON_LABELS.get(r, r) for r in decision.reasons], context["profile"], context)
    store = ticket_store()
    try:
        opened = store.open(tracker.sender_id, decision, context, text, customer_id)
    except TicketError:
        dispatcher.utter_message(response="utter_human_contact", **team_hours())
        return [ActiveLoop(None), SlotSet("requested_slot", None)]
    opening = handoff_opening(decision)
    if opening is not None:
        dispatcher.utter_message(response=opening)
    announce_taking_over(dispatcher, store, opened, settings)
    # a question the assistant was waiting on is the person's now ("Only some of the
    # items" where a cancellation was to be confirmed): its yes is no longer read here
    return [ActiveLoop(None), SlotSet("requested_slot", None), SlotSet("cancel_allowed", None),
            SlotSet("handoff_ticket", str(opened.id))]


def announce_taking_over(dispatcher: CollectingDispatcher, store: TicketStore,
                         opened: OpenedTicket, settings: Settings) -> None:
    """Tells the customer a person is taking over, and the expected wait in their queue; or,
    while the team is away, when it is back."""
    news = wait_news(store, opened.tier, settings, utcnow())
    if news.closes is not None:
        dispatcher.utter_message(response="utter_handoff_taking_over_closing", closes=news.closes,
                                 reopens=news.reopens)
    elif news.reopens is not None:
        dispatcher.utter_message(response="utter_handoff_taking_over_closed", reopens=news.reopens)
    else:
        dispatcher.utter_message(response="utter_handoff_taking_over", wait=news.wait)
