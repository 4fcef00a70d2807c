"""The 3-7-30 aftercare schedule after a resolved ticket, kept in the database.

`schedule` writes the rows in the transaction that resolves the ticket, so the schedule
survives any restart. Workers (one per gateway process) find due rows and `claim` each with
one conditional UPDATE that only a pending row, or one whose worker's lease ran out, can
pass: of two workers, exactly one wins and sends it. A customer who said "stop" gets no
more aftercare messages, and a reopened case cancels the ones still pending.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import List, Optional, Sequence

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from feedback.models import AftercareMessage, AftercareOptOut, AftercareStatus
from feedback.schedule import AftercareSchedule
from feedback.topics import topic_of
from handoff.closing import is_quiet, put_right
from handoff.escalation import Reason
from handoff.models import AccountAssignment, Ticket
from handoff.ticket_events import TicketReopened, TicketResolved


def account_manager(session: Session, customer_id: Optional[int]) -> Optional[int]:
    """The VIP customer's account manager, if the customer has one."""
    if customer_id is None:
        return None
    assignment = session.get(AccountAssignment, customer_id)
    return assignment.manager_id if assignment is not None else None


def opted_out(session: Session, conversation_id: str) -> bool:
    return session.get(AftercareOptOut, conversation_id) is not None


def cancel_pending(session: Session, conversation_id: str, why: str) -> int:
    """Cancels the conversation's aftercare messages not yet claimed; returns how many."""
    return session.execute(
        update(AftercareMessage)
        .where(AftercareMessage.conversation_id == conversation_id,
               AftercareMessage.status == AftercareStatus.PENDING)
        .values(status=AftercareStatus.CANCELLED, outcome=why)
        .execution_options(synchronize_session=False)
    ).rowcount


def schedule(session: Session, ticket: Ticket, now: datetime,
             plan: AftercareSchedule) -> List[AftercareMessage]:
    """Writes the aftercare messages of a ticket being resolved (in the caller's transaction).

    None for a check-in task (it is not a customer's case), a crisis or a loss, a case closed
    unsolved or unanswered (handoff.closing: no tips or surveys after them; a staff run found
    the recommendation survey scheduled after "not solved") or a customer who opted out.
    A newer resolved case replaces what is still pending of an older one in the same
    conversation (a reopened case, a low rating's follow-up ticket), so nobody is asked twice.
    """
    if (Reason.CHECK_IN in (ticket.reasons or ()) or is_quiet(ticket.reasons or ())
            or not put_right(ticket.outcome) or opted_out(session, ticket.conversation_id)):
        return []
    cancel_pending(session, ticket.conversation_id, f"superseded by ticket {ticket.id}")
    present = set(session.execute(select(AftercareMessage.kind)
                                  .where(AftercareMessage.ticket_id == ticket.id)).scalars())
    vip = account_manager(session, ticket.customer_id) is not None
    rows = [
        AftercareMessage(ticket_id=ticket.id, conversation_id=ticket.conversation_id, kind=kind,
                         due_at=plan.allowed(now + timedelta(days=days)),
                         status=AftercareStatus.PENDING, created_at=now)
        for kind, days in plan.steps(vip) if kind not in present
    ]
    session.add_all(rows)
    return rows


class AftercareScheduler:
    """Hears the ticket store: a resolved case gets its 3-7-30 aftercare messages, a reopened
    one loses those still pending (in the ticket's transaction)."""

    def __init__(self, schedule: AftercareSchedule = AftercareSchedule()) -> None:
        self._schedule = schedule

    def ticket_resolved(self, event: TicketResolved) -> None:
        schedule(event.session, event.ticket, event.at, self._schedule)

    def ticket_reopened(self, event: TicketReopened) -> None:
        cancel_pending(event.session, event.conversation_id, "reopened")


@dataclass(frozen=True)
class AftercareTask:
    """A claimed aftercare message with what sending it needs."""

    id: int
    kind: str
    ticket_id: int
    conversation_id: str
    customer_id: Optional[int]
    topic: str
    opted_out: bool


class AftercareStore:
    def __init__(self, sessions: sessionmaker) -> None:
        self._sessions = sessions

    @staticmethod
    def _claimable(now: datetime):  # type: ignore[no-untyped-def]
        return or_(and_(AftercareMessage.status == AftercareStatus.PENDING,
                        AftercareMessage.due_at <= now),
                   and_(AftercareMessage.status == AftercareStatus.SENDING,
                        AftercareMessage.lease_until < now))

    def due(self, now: datetime, limit: int = 50) -> List[int]:
        """Aftercare messages to send now (and ones a dead worker left), oldest first."""
        with self._sessions() as session:
            return list(session.execute(
                select(AftercareMessage.id).where(self._claimable(now))
                .order_by(AftercareMessage.due_at, AftercareMessage.id).limit(limit)).scalars())

    def claim(self, message_id: int, worker: str, now: datetime, lease: timedelta) -> bool:
        """Takes the message for this worker until `now + lease`; False if another has it."""
        with self._sessions.begin() as session:
            return session.execute(
                update(AftercareMessage)
                .where(AftercareMessage.id == message_id, self._claimable(now))
                .values(status=AftercareStatus.SENDING, claimed_by=worker, lease_until=now + lease)
                .execution_options(synchronize_session=False)
            ).rowcount == 1

    def task(self, message_id: int) -> AftercareTask:
        with self._sessions() as session:
            row = session.get(AftercareMessage, message_id)
            ticket = session.get(Ticket, row.ticket_id)
            return AftercareTask(row.id, row.kind, row.ticket_id, row.conversation_id,
                                 ticket.customer_id, topic_of(ticket.context or {}),
                                 opted_out(session, row.conversation_id))

    def _finish(self, message_id: int, worker: str, **values: object) -> bool:
        """Changes an aftercare message this worker still holds (a lost lease changes nothing)."""
        with self._sessions.begin() as session:
            return session.execute(
                update(AftercareMessage)
                .where(AftercareMessage.id == message_id, AftercareMessage.claimed_by == worker,
                       AftercareMessage.status == AftercareStatus.SENDING)
                .values(**values)
                .execution_options(synchronize_session=False)
            ).rowcount == 1

    def mark_sent(self, message_id: int, worker: str, now: datetime,
                  outcome: Optional[str] = None) -> bool:
        return self._finish(message_id, worker, status=AftercareStatus.SENT, sent_at=now,
                            lease_until=None, outcome=outcome)

    def postpone(self, message_id: int, worker: str, until: datetime) -> bool:
        """Gives the aftercare message back, due again at `until`."""
        return self._finish(message_id, worker, status=AftercareStatus.PENDING, due_at=until,
                            claimed_by=None, lease_until=None)

    def cancel(self, message_id: int, worker: str, why: str) -> bool:
        return self._finish(message_id, worker, status=AftercareStatus.CANCELLED,
                            lease_until=None, outcome=why)

    def cancel_for_conversation(self, conversation_id: str, why: str) -> int:
        with self._sessions.begin() as session:
            return cancel_pending(session, conversation_id, why)

    def opt_out(self, conversation_id: str, now: datetime) -> int:
        """Records the customer's "stop" and cancels what is pending; returns how many."""
        with self._sessions.begin() as session:
            if not opted_out(session, conversation_id):
                session.add(AftercareOptOut(conversation_id=conversation_id, created_at=now))
            return cancel_pending(session, conversation_id, "opted out")

    def last_sent(self, conversation_id: str, kinds: Sequence[str]) -> Optional[AftercareMessage]:
        """The conversation's most recent sent aftercare message of these kinds (what an answer
        answers)."""
        with self._sessions() as session:
            return session.execute(
                select(AftercareMessage).where(AftercareMessage.conversation_id == conversation_id,
                                               AftercareMessage.kind.in_(kinds),
                                               AftercareMessage.status == AftercareStatus.SENT)
                .order_by(AftercareMessage.sent_at.desc(), AftercareMessage.id.desc()).limit(1)
            ).scalar_one_or_none()

    def answered(self, message_id: int, outcome: str) -> None:
        """Notes what the customer answered to a sent aftercare message."""
        with self._sessions.begin() as session:
            session.execute(update(AftercareMessage).where(AftercareMessage.id == message_id)
                            .values(outcome=outcome)
                            .execution_options(synchronize_session=False))
