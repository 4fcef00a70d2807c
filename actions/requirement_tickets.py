"""The ticket a requirement confirmed by a customer nobody identified opens.

"Our product and technical teams have the full sheet and will get back to you here in this
chat within one working day" was said with no ticket behind it: staff write to a chat only
through a ticket, and a customer with no email address on record could not be reached at all
(a staff run). Such a sheet now opens a ticket for the product experts (handoff.routing), at
normal priority, carrying the sheet's reference; the sheet shows beside it in the console.
A customer known by email is answered by email, as the confirmation says, and opens none.
"""

from __future__ import annotations

from typing import Optional

from rasa_sdk import Tracker

from actions.company_db import ticket_store
from actions.handoff import gather_context
from handoff.escalation import TurnSignals, decide
from handoff.tickets import OpenedTicket, TicketError
from needs.records import RequirementSheet


def open_requirement_ticket(tracker: Tracker, reference: str,
                            sheet: RequirementSheet) -> Optional[OpenedTicket]:
    """The ticket the team replies through; None when there is no conversation to hand over
    (outside the gateway)."""
    decision = decide(TurnSignals(requirement_confirmed=True))
    customer_id, context = gather_context(tracker)
    context["decision"] = decision.to_json()
    context["requirement"] = reference
    what = (sheet.what or "").strip()
    summary = (f"New requirement {reference}, confirmed by a customer we have no email address for: "
               f"reply here in the chat within one working day (the sheet is beside this ticket)."
               + (f" What: {what}" if what else ""))
    try:
        return ticket_store().open(tracker.sender_id, decision, context, summary, customer_id)
    except TicketError:
        return None
