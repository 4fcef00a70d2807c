"""What a load run left on the agents' desk, counted in the benchmark's own database.

Tickets opened by load are handovers whose reason is the assistant being unavailable
(handoff.escalation.Reason.ASSISTANT_UNAVAILABLE: the gateway's Rasa client gave up on a
reply, conversations/assistant.py): a new ticket with that reason, or the reason added to
a conversation's open ticket. Both are ticket events that record the reasons, so their
number only grows and a run's count is the difference of two snapshots. The benchmark's
script never asks for a person, so every ticket a run opens is counted as well, whatever
its reason. Wait notices are the gateway's "Lots of customers are writing right now" told
to a customer whose turn queued for long (conversations/notices.py): not a failure, but
worth seeing.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from conversations.models import Author, Message
from conversations.notices import busy_notice
from handoff.escalation import Reason
from handoff.models import EventKind, Ticket, TicketEvent

LOAD_REASON = Reason.ASSISTANT_UNAVAILABLE
# the part of the busy notice before the estimate, the same for every wait
WAIT_NOTICE_START = busy_notice(0).split(";")[0]


@dataclass(frozen=True)
class DeskCount:
    """Running totals in one database at one moment (or their difference over a run)."""

    tickets_by_load: int = 0
    tickets_opened: int = 0
    wait_notices: int = 0

    def since(self, before: "DeskCount") -> "DeskCount":
        return DeskCount(self.tickets_by_load - before.tickets_by_load,
                         self.tickets_opened - before.tickets_opened,
                         self.wait_notices - before.wait_notices)

    def __add__(self, other: "DeskCount") -> "DeskCount":
        return DeskCount(self.tickets_by_load + other.tickets_by_load,
                         self.tickets_opened + other.tickets_opened,
                         self.wait_notices + other.wait_notices)


def count_desk(sessions: sessionmaker) -> DeskCount:
    """The totals so far: ticket events that handed a conversation over because of the
    assistant being unavailable, tickets opened for any reason, and wait notices."""
    with sessions() as session:
        handovers = session.execute(
            select(TicketEvent.data).where(
                TicketEvent.kind.in_((EventKind.CREATED, EventKind.REASON_ADDED)))
        ).scalars()
        by_load = sum(1 for data in handovers
                      if LOAD_REASON in ((data or {}).get("reasons") or ()))
        opened = session.execute(select(func.count(Ticket.id))).scalar_one()
        notices = session.execute(
            select(func.count(Message.id)).where(Message.author == Author.SYSTEM,
                                                 Message.text.startswith(WAIT_NOTICE_START))
        ).scalar_one()
    return DeskCount(by_load, opened, notices)
