"""The customer's side of the 3-7-30 aftercare messages (the gateway's worker starts each):

- `action_aftercare_reopen`: "no" to "is it fully solved?" reopens the case as a new
  ticket linked to the resolved one and routed back to its owner;
- `action_aftercare_tips`: the usage guide for the case's topic (sent by the gateway);
- `action_record_nps`: the 0-10 answer, in actions/score_answers.py (with the rating:
  a number answers whichever score question the bot has just asked, and nothing else);
- `action_stop_aftercare`: "stop" records the opt-out and cancels what is pending.

Outside the gateway (rasa shell) nothing is written: there is no conversation to send aftercare
messages to.
"""

from __future__ import annotations

import re
from typing import List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.company_db import company_session, company_sessions, gateway_conversation, ticket_store
from actions.plan_endings import names_a_plan_to_end, tell_how_to_end_a_plan
from actions.phrasing import team_hours
from actions.tracker_reading import latest_entity, slot_text, typed_text
from actions.handoff import gather_context
from ground.clock import utcnow
from feedback.aftercare import AftercareStore
from feedback.models import AftercareKind
from feedback.topics import GENERAL, TOPICS
from handoff.escalation import PRIORITY_HIGH, Decision, Reason
from handoff.tickets import TicketError


def is_gateway_conversation(tracker: Tracker) -> bool:
    return gateway_conversation(tracker.sender_id) is not None


class ActionAftercareReopen(Action):
    def name(self) -> Text:
        return "action_aftercare_reopen"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        opened = self._reopen(tracker) if is_gateway_conversation(tracker) else None
        if opened is None:
            dispatcher.utter_message(response="utter_aftercare_reopen_contact", **team_hours())
            return []
        dispatcher.utter_message(response="utter_aftercare_reopened")
        return [SlotSet("handoff_ticket", str(opened))]

    def _reopen(self, tracker: Tracker) -> Optional[int]:
        """The new ticket, following up the case the day-3 question was about."""
        sessions = company_sessions()
        aftercare = AftercareStore(sessions)
        tickets = ticket_store()
        asked = aftercare.last_sent(tracker.sender_id, [AftercareKind.SOLVED_CHECK])
        resolved = asked.ticket_id if asked else tickets.last_resolved(tracker.sender_id)
        if resolved is None:
            return None
        customer_id, context = gather_context(tracker)
        if customer_id is None and asked is not None:
            customer_id = aftercare.task(asked.id).customer_id
        decision = Decision(True, (Reason.NOT_SOLVED,), PRIORITY_HIGH)
        context = dict(context, decision=decision.to_json(), follow_up_of=resolved)
        text = (f"The customer says the case of ticket #{resolved} is not fully solved "
                "(asked by the aftercare message after it was resolved); please pick it up again.")
        try:
            opened = tickets.open(tracker.sender_id, decision, context, text, customer_id,
                                  follow_up_of=resolved)
        except TicketError:
            return None
        if asked is not None:
            aftercare.answered(asked.id, f"not solved: ticket {opened.id}")
        return opened.id


class ActionAftercareTips(Action):
    def name(self) -> Text:
        return "action_aftercare_tips"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        topic = slot_text(latest_entity(tracker, "aftercare_topic")
                          or tracker.get_slot("aftercare_topic"))
        known = topic in TOPICS and f"utter_guide_{topic}" in domain.get("responses", {})
        dispatcher.utter_message(response=f"utter_guide_{topic if known else GENERAL}")
        dispatcher.utter_message(response="utter_aftercare_stop_hint")
        return [SlotSet("aftercare_topic", None)]


# asking what the follow-up messages are, not to stop them ("wait what follow up messages? what
# are those" was told they would stop: a customer run)
_ASKS_WHAT_THEY_ARE = re.compile(
    r"\bwhat\s+(?:are|r|is)\s+(?:those|these|they|them|that|the\s+follow\W*ups?)\b|\bwhat\s+follow\W*up"
    r"|\bwhat\s+(?:do\s+you|d'?you|do\s+u)\s+mean\b|\bwhich\s+(?:follow\W*ups?|messages)\b", re.IGNORECASE)
_TOLD_TO_STOP = re.compile(r"\b(?:stop|unsubscribe|no\s+more|don'?t\s+(?:send|want)|opt\s+out)\b", re.IGNORECASE)


def asks_what_aftercare_messages_are(text: str) -> bool:
    """Whether the words ask what the follow-up messages are, without asking to stop them."""
    return _ASKS_WHAT_THEY_ARE.search(text or "") is not None and _TOLD_TO_STOP.search(text or "") is None


class ActionStopAftercare(Action):
    def name(self) -> Text:
        return "action_stop_aftercare"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        if asks_what_aftercare_messages_are(typed_text(tracker)):
            dispatcher.utter_message(response="utter_aftercare_explained")
            return []
        if names_a_plan_to_end(typed_text(tracker)):
            # "unsubscribe me from the club" was told no more follow-up messages would come,
            # and the plan went on charging
            with company_session() as session:
                tell_how_to_end_a_plan(dispatcher, session)
            return []
        if is_gateway_conversation(tracker):
            AftercareStore(company_sessions()).opt_out(tracker.sender_id, utcnow())
        dispatcher.utter_message(response="utter_aftercare_stopped")
        return []
