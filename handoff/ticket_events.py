"""What happens to a ticket that other features react to: resolved, reopened.

The ticket store announces these to the listeners it was built with, inside the ticket's own
transaction, so that what a listener writes (feedback's 3-7-30 aftercare messages) commits or rolls
back with the ticket. Handoff does not know who listens; the composition root
(bot/gateway/app.py, actions/company_db.py) wires feedback in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy.orm import Session

from handoff.models import Ticket


@dataclass(frozen=True)
class TicketResolved:
    session: Session
    ticket: Ticket
    at: datetime


@dataclass(frozen=True)
class TicketReopened:
    """A new ticket opened as the follow-up ticket of a resolved one in the same conversation."""

    session: Session
    conversation_id: str
    at: datetime


class TicketListener(Protocol):
    def ticket_resolved(self, event: TicketResolved) -> None: ...

    def ticket_reopened(self, event: TicketReopened) -> None: ...
