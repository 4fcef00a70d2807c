"""Closing an account: a request to erase the customer's personal data (UK GDPR art. 17).

The conversation goes: the customer asks; the assistant asks whether they want their
account closed and their personal data erased (a rule: nothing starts before "yes"; "no"
changes nothing and asks what they want instead; an email typed instead is kept for the
proof and the question asked again); `erasure_form` proves the account with
the account proof every account form shares (its email and postcode, failures counted and
locked as for any identity check); `action_request_erasure` records the request
(company.erasure: the `erasure_requests` row, due one month later), tells the customer what
happens next and hands the conversation to a person with the reason `erasure_request`
(handoff.escalation decides the priority, handoff.routing the team).
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import verification
from actions.accounts import AccountProofForm, clear_proof, proved_customer
from actions.company_db import company_session, ticket_store
from actions.handoff import announce_taking_over, gather_context
from actions.phrasing import format_date, team_hours
from actions.tracker_reading import session_messages_newest_first, typed_text
from ground.settings import Settings
from company import erasure, policies
from ground.clock import utcnow
from company.identifiers import mask_email
from handoff.escalation import TurnSignals, decide
from handoff.tickets import TicketError

CLOSE_ACCOUNT_INTENT = "close_account"


class ValidateErasureForm(AccountProofForm):
    def name(self) -> Text:
        return "validate_erasure_form"

    async def extract_account_email(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> Dict[Text, Any]:
        """An email typed while the closure was still to be confirmed ("Thanks, I'll use that
        to find your account") is the account's: the form does not ask for it again."""
        if tracker.get_slot("requested_slot") is not None or tracker.get_slot("account_email"):
            return {}
        email = email_given_since_asked(tracker)
        return {"account_email": email} if email else {}


def email_given_since_asked(tracker: Tracker) -> Optional[str]:
    """The latest email the customer gave since they asked to close the account."""
    for event in session_messages_newest_first(tracker):
        parse_data = event.get("parse_data") or {}
        emails = [item.get("value") for item in parse_data.get("entities") or []
                  if item.get("entity") == "email" and item.get("value")]
        if emails:
            return str(emails[-1])
        if (parse_data.get("intent") or {}).get("name") == CLOSE_ACCOUNT_INTENT:
            return None  # (its own email counts: "close the account of jo@example.com")
    return None


# words about closing the account that say it is not wanted, or ask that it is not happening:
# "so my account is NOT being closed right?" was offered the closure, its "yes thats right"
# started the account check, and "i DON'T want my account closed" there handed over. Not
# "why can't I close my account" (a customer who wants it closed)
_NOT_CLOSING = re.compile(
    r"(?:\bnot|n't|\b(?:wo|do|does|did|is|are|was|were|ca|should|would)nt|\bnever)\s+"
    r"(?:be(?:ing|en)?\s+|get(?:ting)?\s+)?(?:closed|closing|deleted|deleting)\b"
    r"|\bdo(?:n'?t|\s+not)\s+(?:want|need)\s+(?:to\s+(?:close|delete)|(?:my|the|it)\s+(?:account\s+)?(?:closed|deleted))"
    r"|\b(?:do(?:n'?t|\s+not)|please\s+don'?t)\s+(?:close|delete)\b"
    r"|\b(?:keep|leave)\s+(?:my|the|it)\s+(?:account\s+)?open\b|\b(?:stays?|staying|remains?|kept)\s+open\b",
    re.IGNORECASE)
# ... unless the customer says it should have been closed already: "my account still isn't
# closed, I asked last week" wants it closed (from a review)
_SHOULD_BE_CLOSED = re.compile(
    r"\bstill\b|\byet\b|\bnever\s+(?:closed|deleted|got)|\balready\b|\bi\s+asked\b|\basked\s+(?:you|for)\b"
    r"|\blast\s+(?:week|month)\b", re.IGNORECASE)


def not_closing(text: str) -> bool:
    """Whether words read as closing the account say it is not wanted."""
    return _NOT_CLOSING.search(text) is not None and _SHOULD_BE_CLOSED.search(text) is None


class ActionReadCloseRequest(Action):
    """A message read as closing the account, by its words: wanted (the closure is asked
    about first) or not ("so my account is NOT being closed right?": it stays open)."""

    def name(self) -> Text:
        return "action_read_close_request"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        return [SlotSet("closing_wanted", not not_closing(typed_text(tracker)))]


class ActionRequestErasure(Action):
    """Records the proved account's erasure request and hands it to a person."""

    def name(self) -> Text:
        return "action_request_erasure"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        cleared = clear_proof()
        attempt = verification.attempt_of(tracker)
        with company_session() as session:
            customer = proved_customer(tracker, session)
            if customer is None:
                return cleared
            outcome = erasure.request_erasure(session, customer, utcnow(),
                                              attempt.conversation_id, attempt.channel)
            request = outcome.request
            facts: Dict[str, Any] = {
                "id": request.id, "reference": erasure.reference(request),
                "requested_at": request.requested_at.isoformat() + "Z",
                "due_by": request.due_by.isoformat() + "Z", "created": outcome.created,
                "open_orders": outcome.open_orders, "active_plan": outcome.active_plan,
            }
            self._explain(dispatcher, outcome, customer.email)
            who = {"name": customer.name, "email": customer.email, "vip": customer.is_vip}
        ticket = self._hand_over(dispatcher, tracker, facts, who)
        events = cleared + [ActiveLoop(None), SlotSet("requested_slot", None)]
        if ticket is None:
            dispatcher.utter_message(response="utter_erasure_team_contact",
                                     reference=facts["reference"], **team_hours())
            return events
        with company_session() as session:
            erasure.link_ticket(session, facts["id"], ticket)
        return events + [SlotSet("handoff_ticket", str(ticket))]

    @staticmethod
    def _explain(dispatcher: CollectingDispatcher, outcome: erasure.ErasureOutcome,
                 email: str) -> None:
        request = outcome.request
        reference, due = erasure.reference(request), format_date(request.due_by)
        if outcome.created:
            dispatcher.utter_message(response="utter_erasure_recorded", reference=reference,
                                     due_date=due, masked_email=mask_email(email))
        else:
            dispatcher.utter_message(response="utter_erasure_already_requested",
                                     reference=reference, due_date=due,
                                     requested_date=format_date(request.requested_at))
        if outcome.open_orders:
            dispatcher.utter_message(
                response="utter_erasure_open_order" if len(outcome.open_orders) == 1
                else "utter_erasure_open_orders",
                orders=", ".join(outcome.open_orders))
        if outcome.active_plan:
            dispatcher.utter_message(response="utter_erasure_plan_ends", plan=outcome.active_plan)
        dispatcher.utter_message(response="utter_erasure_records_kept",
                                 years=policies.FINANCIAL_RECORDS_YEARS)

    @staticmethod
    def _hand_over(dispatcher: CollectingDispatcher, tracker: Tracker, facts: Dict[str, Any],
                   who: Dict[str, Any]) -> Optional[int]:
        """The ticket a person works the request from; None outside the gateway (rasa
        shell), where there is no conversation to hand over."""
        decision = decide(TurnSignals(erasure_requested=True, vip=bool(who["vip"])))
        customer_id, context = gather_context(tracker)
        context["decision"] = decision.to_json()
        context["erasure_request"] = facts
        steps = []
        if facts["open_orders"]:
            steps.append(f"finish the open orders ({', '.join(facts['open_orders'])}) first")
        if facts["active_plan"]:
            steps.append(f"end the Harbor Club {facts['active_plan']} plan")
        steps.append(f"keep invoices and order records for {policies.FINANCIAL_RECORDS_YEARS} "
                     "years and erase the rest")
        summary = (f"Erasure request {facts['reference']} (UK GDPR art. 17), due by "
                   f"{facts['due_by'][:10]}: {who['name']} ({who['email']}, proved by the "
                   "account's email and postcode) asks to close the account and erase their "
                   f"personal data. Confirm it with the customer, {', '.join(steps)}.")
        settings = Settings.from_env()
        store = ticket_store()
        try:
            opened = store.open(tracker.sender_id, decision, context, summary, customer_id)
        except TicketError:
            return None
        announce_taking_over(dispatcher, store, opened, settings)
        return opened.id
