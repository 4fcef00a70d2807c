"""The customer's side of the 3-7-30 follow-ups (the gateway's worker starts each one):

- `action_follow_up_reopen`: "no" to "is it fully solved?" reopens the case as a new
  ticket linked to the resolved one and routed back to its owner;
- `action_follow_up_tips`: the usage guide for the case's topic (sent by the gateway);
- `action_record_nps`: the 0-10 answer, in actions/score_answers.py (with the rating:
  a number answers whichever score question the bot has just asked, and nothing else);
- `action_stop_follow_ups`: "stop" records the opt-out and cancels what is pending.

Outside the gateway (rasa shell) nothing is written: there is no conversation to follow up.
"""

from __future__ import annotations

from typing import List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.company_db import company_sessions, gateway_conversation, ticket_store
from actions.tracker_reading import latest_entity, slot_text
from actions.handoff import gather_context
from ground.clock import utcnow
from feedback.followups import FollowUpStore
from feedback.models import FollowUpKind
from feedback.topics import GENERAL, TOPICS
from handoff.escalation import PRIORITY_HIGH, Decision, Reason
from handoff.tickets import TicketError


def is_gateway_conversation(tracker: Tracker) -> bool:
    return gateway_conversation(tracker.sender_id) is not None


class ActionFollowUpReopen(Action):
    def name(self) -> Text:
        return "action_follow_up_reopen"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        opened = self._reopen(tracker) if is_gateway_conversation(tracker) else None
        if opened is None:
            dispatcher.utter_message(response="utter_follow_up_reopen_contact")
            return []
        dispatcher.utter_message(response="utter_follow_up_reopened")
        return [SlotSet("handoff_ticket", str(opened))]

    def _reopen(self, tracker: Tracker) -> Optional[int]:
        """The new ticket, following up the case the day-3 question was about."""
        sessions = company_sessions()
        follow_ups = FollowUpStore(sessions)
        tickets = ticket_store()
        asked = follow_ups.last_sent(tracker.sender_id, [FollowUpKind.SOLVED_CHECK])
        resolved = asked.ticket_id if asked else tickets.last_resolved(tracker.sender_id)
        if resolved is None:
            return None
        customer_id, context = gather_context(tracker)
        if customer_id is None and asked is not None:
            customer_id = follow_ups.task(asked.id).customer_id
        decision = Decision(True, (Reason.NOT_SOLVED,), PRIORITY_HIGH)
        context = dict(context, decision=decision.to_json(), follow_up_of=resolved)
        text = (f"The customer says the case of ticket #{resolved} is not fully solved "
                "(asked by the follow-up after it was resolved); please pick it up again.")
        try:
            opened = tickets.open(tracker.sender_id, decision, context, text, customer_id,
                                  follow_up_of=resolved)
        except TicketError:
            return None
        if asked is not None:
            follow_ups.answered(asked.id, f"not solved: ticket {opened.id}")
        return opened.id


class ActionFollowUpTips(Action):
    def name(self) -> Text:
        return "action_follow_up_tips"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        topic = slot_text(latest_entity(tracker, "follow_up_topic")
                          or tracker.get_slot("follow_up_topic"))
        known = topic in TOPICS and f"utter_guide_{topic}" in domain.get("responses", {})
        dispatcher.utter_message(response=f"utter_guide_{topic if known else GENERAL}")
        dispatcher.utter_message(response="utter_follow_up_stop_hint")
        return [SlotSet("follow_up_topic", None)]


class ActionStopFollowUps(Action):
    def name(self) -> Text:
        return "action_stop_follow_ups"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        if is_gateway_conversation(tracker):
            FollowUpStore(company_sessions()).opt_out(tracker.sender_id, utcnow())
        dispatcher.utter_message(response="utter_follow_ups_stopped")
        return []
