"""The ticket queue: open, claim, transfer, note, reply, resolve, all in the database.

Each change is one short transaction. Claiming is a single conditional UPDATE (only a
queued ticket without an owner can be claimed), so two agents claiming at the same instant
get exactly one winner on SQLite and PostgreSQL alike. A ticket changes the conversation's
state with it: queued while it waits, agent while someone owns it, bot once resolved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Dict, List, Optional, Sequence

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from conversations.models import Conversation, State
from conversations.state import move_to
from ground.clock import utcnow
from handoff.accounts import StaffMember
from handoff.escalation import Decision, Reason
from handoff.models import (
    AccountAssignment,
    EventKind,
    Role,
    Skill,
    StaffUser,
    Ticket,
    TicketEvent,
    TicketStatus,
)
from handoff.permissions import can_act_as_owner, can_claim, can_see, possibly_visible
from handoff.routing import SKILL_TIER, Route, route
from handoff.sla import SlaPolicy, sla_status
from handoff.ticket_events import TicketListener, TicketReopened, TicketResolved

MAX_NOTE = 4000
OUTCOMES = ("solved", "workaround", "not_solved", "duplicate", "no_response")
# the customer's own outcome, never a staff member's: they no longer needed a person
WITHDRAWN = "withdrawn"
# reasons a customer's "it's fine now" does not close: dangers a person checks, and people
# who were upset, grieving or complaining, whom a person answers all the same
# a ticket still waiting that nobody has worked on: never claimed (a claim and a transfer back
# leave it queued), never answered
_UNTOUCHED = (Ticket.status == TicketStatus.QUEUED, Ticket.owner_id.is_(None),
              Ticket.claimed_at.is_(None), Ticket.first_response_at.is_(None))
KEPT_FOR_THE_TEAM = frozenset({Reason.CRISIS, Reason.SAFETY, Reason.LEGAL, Reason.FRAUD, Reason.BEREAVEMENT,
                               Reason.VULNERABLE,
                               Reason.NEGATIVE_EMOTION, Reason.EMOTION_DROP, Reason.COMPLAINT})


def withdrawn(outcome: Optional[Dict[str, Any]]) -> bool:
    """Whether a resolved ticket was withdrawn by the customer while it waited."""
    return (outcome or {}).get("outcome") == WITHDRAWN


def _withdrawn_at(outcome: Optional[Dict[str, Any]], resolved_at: Optional[datetime]) -> Optional[datetime]:
    """When the customer left the queue (it stops the first-response clock), if they did."""
    return resolved_at if withdrawn(outcome) else None


class TicketError(Exception):
    """A ticket request refused; `status` is the HTTP status that says why."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class OpenedTicket:
    id: int
    created: bool  # False: the conversation already had an open ticket (reasons added)
    tier: int
    priority: int
    reasons: Sequence[str]


@dataclass(frozen=True)
class ReleasedTicket:
    """A ticket a deactivated staff member held, back in the queue."""

    id: int
    conversation_id: str
    was_claimed: bool  # the conversation went from a person back to waiting for one


def _iso(moment: Optional[datetime]) -> Optional[str]:
    return moment.isoformat() + "Z" if moment else None


class TicketStore:
    def __init__(
        self,
        sessions: sessionmaker,
        sla: SlaPolicy = SlaPolicy(),
        clock: Callable[[], datetime] = utcnow,
        listeners: Sequence[TicketListener] = (),
    ) -> None:
        self._sessions = sessions
        self._sla = sla
        self._clock = clock
        self._listeners = tuple(listeners)

    def add_listener(self, listener: TicketListener) -> None:
        """`listener` hears the tickets resolved and reopened from now on."""
        self._listeners += (listener,)

    def sessions(self) -> Session:
        """A session on the ticket database (for reads that go with a ticket)."""
        return self._sessions()

    # --- opening ------------------------------------------------------------------------
    def open(
        self,
        conversation_id: str,
        decision: Decision,
        context: Dict[str, Any],
        summary: str,
        customer_id: Optional[int] = None,
        follow_up_of: Optional[int] = None,
    ) -> OpenedTicket:
        """Opens the conversation's ticket, or adds new reasons to its open one. A follow-up
        ticket of a resolved one goes back to whoever owned that one (first-contact ownership),
        and the listeners hear that the case was reopened."""
        now = self._clock()
        with self._sessions.begin() as session:
            conversation = session.get(Conversation, conversation_id)
            if conversation is None:
                raise TicketError(404, f"no conversation {conversation_id}")
            current = session.execute(
                select(Ticket).where(Ticket.conversation_id == conversation_id,
                                     Ticket.status != TicketStatus.RESOLVED)
                .with_for_update()
            ).scalar_one_or_none()
            if current is not None:
                added = [r for r in decision.reasons if r not in current.reasons]
                if added:
                    current.reasons = list(current.reasons) + added
                    current.priority = min(current.priority, decision.priority)
                    current.updated_at = now
                    data: Dict[str, Any] = {"reasons": added}
                    moved = self._rerouted(session, current)
                    if moved is not None:
                        data.update({"tier": moved.tier, "skill": moved.skill})
                    session.add(TicketEvent(ticket=current, kind=EventKind.REASON_ADDED,
                                            data=data, created_at=now))
                return OpenedTicket(current.id, False, current.tier, current.priority,
                                    tuple(current.reasons))
            manager_id = None
            if customer_id is not None:
                assignment = session.get(AccountAssignment, customer_id)
                manager_id = assignment.manager_id if assignment is not None else None
            path = route(decision.reasons, manager_id)
            if follow_up_of is not None:
                path = self._route_back(session, follow_up_of, path)
                for listener in self._listeners:
                    listener.ticket_reopened(TicketReopened(session, conversation_id, now))
            first_due, resolution_due = self._sla.due_times(now)
            ticket = Ticket(
                conversation_id=conversation_id, channel=conversation.channel,
                customer_id=customer_id, status=TicketStatus.QUEUED, tier=path.tier,
                skill=path.skill, assignee_id=path.assignee_id, reasons=list(decision.reasons),
                priority=decision.priority, context=context, summary=summary[:2000],
                created_at=now, first_response_due=first_due, resolution_due=resolution_due,
                follow_up_of=follow_up_of, updated_at=now,
            )
            session.add(ticket)
            session.add(TicketEvent(ticket=ticket, kind=EventKind.CREATED,
                                    data={"reasons": list(decision.reasons), "tier": path.tier,
                                          "skill": path.skill}, created_at=now))
            session.flush()
            move_to(session, conversation_id, State.QUEUED, now)
            return OpenedTicket(ticket.id, True, ticket.tier, ticket.priority,
                                tuple(ticket.reasons))

    @staticmethod
    def _rerouted(session: Session, ticket: Ticket) -> Optional[Route]:
        """A ticket nobody has taken yet goes where its reasons now send it: a legal threat or
        fraud written in the queue left the ticket with the frontline, who could close it (a
        staff run). One routed to a person (a follow-up, a VIP's manager), or ever claimed or
        transferred (a person chose where it is), stays where it is."""
        if ticket.status != TicketStatus.QUEUED or ticket.assignee_id is not None or ticket.follow_up_of:
            return None
        handled = session.execute(
            select(TicketEvent.id).where(TicketEvent.ticket_id == ticket.id,
                                         TicketEvent.kind.in_([EventKind.CLAIMED, EventKind.TRANSFERRED]))
            .limit(1)).first()
        if handled is not None:
            return None
        assignment = session.get(AccountAssignment, ticket.customer_id) if ticket.customer_id else None
        path = route(ticket.reasons, assignment.manager_id if assignment is not None else None)
        if (path.tier, path.skill, path.assignee_id) == (ticket.tier, ticket.skill, None):
            return None
        ticket.tier, ticket.skill, ticket.assignee_id = path.tier, path.skill, path.assignee_id
        return path

    def _route_back(self, session: Session, earlier_id: int, default: Route) -> Route:
        earlier = session.get(Ticket, earlier_id)
        owner = session.get(StaffUser, earlier.owner_id) if earlier and earlier.owner_id else None
        if owner is None or not owner.active or owner.role not in Role.TIER:
            return default
        return Route(earlier.tier, earlier.skill, owner.id)

    def last_resolved(self, conversation_id: str) -> Optional[int]:
        """The conversation's most recently resolved ticket that a person handled, if any
        (one the customer withdrew from the queue had nobody to rate or follow up)."""
        with self._sessions() as session:
            rows = session.execute(
                select(Ticket.id, Ticket.outcome).where(Ticket.conversation_id == conversation_id,
                                                        Ticket.status == TicketStatus.RESOLVED)
                .order_by(Ticket.resolved_at.desc())
            )
            return next((ticket_id for ticket_id, outcome in rows if not withdrawn(outcome)), None)

    # --- reading ------------------------------------------------------------------------
    def _row(self, session: Session, ticket_id: int, member: StaffMember) -> Ticket:
        ticket = session.get(Ticket, ticket_id)
        if ticket is None:
            raise TicketError(404, f"no ticket {ticket_id}")
        if not can_see(member, ticket.tier, ticket.skill, ticket.assignee_id, ticket.owner_id):
            raise TicketError(403, "this ticket is routed to another tier or person")
        return ticket

    def _owned_open(self, session: Session, ticket_id: int, member: StaffMember, verb: str) -> Ticket:
        """A ticket not yet resolved that this member owns (or covers, as an admin)."""
        ticket = self._row(session, ticket_id, member)
        if ticket.status == TicketStatus.RESOLVED:
            raise TicketError(409, "the ticket is already resolved")
        if not can_act_as_owner(member, ticket.owner_id, for_cover=True):
            raise TicketError(403, f"only the ticket's owner (or an admin) {verb} it")
        return ticket

    def list(
        self,
        member: StaffMember,
        status: Optional[str] = None,
        tier: Optional[int] = None,
        conversation_id: Optional[str] = None,
        limit: int = 200,
    ) -> List[Dict[str, Any]]:
        """Tickets this member may see, most urgent first."""
        query = select(Ticket)
        if status:
            query = query.where(Ticket.status == status)
        if tier:
            query = query.where(Ticket.tier == tier)
        if conversation_id:
            query = query.where(Ticket.conversation_id == conversation_id)
        narrowed = possibly_visible(member)
        if narrowed is not None:
            query = query.where(narrowed)
        query = query.order_by(Ticket.status == TicketStatus.RESOLVED, Ticket.priority,
                               Ticket.created_at).limit(limit * 3)
        with self._sessions() as session:
            names = self._names(session)
            rows = [t for t in session.execute(query).scalars()
                    if can_see(member, t.tier, t.skill, t.assignee_id, t.owner_id)]
            return [self._summary(t, names) for t in rows[:limit]]

    def detail(self, ticket_id: int, member: StaffMember) -> Dict[str, Any]:
        with self._sessions() as session:
            ticket = self._row(session, ticket_id, member)
            names = self._names(session)
            body = self._summary(ticket, names)
            body["context"] = dict(ticket.context or {}, summary=ticket.summary)
            body["sentiment"] = list((ticket.context or {}).get("sentiment") or [])
            body["outcome"] = ticket.outcome
            body["history"] = [
                {"kind": event.kind, "actor": names.get(event.actor_id), "body": event.body,
                 "data": event.data, "at": _iso(event.created_at)}
                for event in ticket.events
            ]
            body["owners"] = [
                {"owner": (event.data or {}).get("owner"), "at": _iso(event.created_at),
                 "kind": event.kind}
                for event in ticket.events
                if event.kind in (EventKind.CLAIMED, EventKind.TRANSFERRED)
            ]
            return body

    def open_ticket_for(self, conversation_id: str) -> Optional[int]:
        with self._sessions() as session:
            return session.execute(
                select(Ticket.id).where(Ticket.conversation_id == conversation_id,
                                        Ticket.status != TicketStatus.RESOLVED)
            ).scalar_one_or_none()

    def watchers(self, ticket_id: int) -> Dict[str, Any]:
        """Routing facts of a ticket, to decide which consoles hear about it."""
        with self._sessions() as session:
            t = session.get(Ticket, ticket_id)
            if t is None:
                return {}
            return {"tier": t.tier, "skill": t.skill, "assignee_id": t.assignee_id,
                    "owner_id": t.owner_id}

    def _names(self, session: Session) -> Dict[Optional[int], Dict[str, Any]]:
        return {row.id: {"id": row.id, "display_name": row.display_name, "role": row.role}
                for row in session.execute(select(StaffUser)).scalars()}

    def _summary(self, t: Ticket, names: Dict[Optional[int], Dict[str, Any]]) -> Dict[str, Any]:
        profile = (t.context or {}).get("profile") or {}
        return {
            "id": t.id, "conversation_id": t.conversation_id, "channel": t.channel,
            "status": t.status, "tier": t.tier, "skill": t.skill,
            "assignee": names.get(t.assignee_id), "owner": names.get(t.owner_id),
            "reasons": list(t.reasons), "priority": t.priority, "summary": t.summary,
            "customer": {"name": profile.get("name"), "vip": bool(profile.get("vip"))},
            "created_at": _iso(t.created_at), "follow_up_of": t.follow_up_of,
            "sla": sla_status(t.first_response_due, t.resolution_due, t.first_response_at,
                              t.resolved_at, self._clock(),
                              withdrawn_at=_withdrawn_at(t.outcome, t.resolved_at)),
        }

    # --- acting -------------------------------------------------------------------------
    def claim(self, ticket_id: int, member: StaffMember) -> str:
        """Makes this member the owner; returns the conversation id."""
        now = self._clock()
        with self._sessions.begin() as session:
            ticket = session.get(Ticket, ticket_id)
            if ticket is None or not can_see(member, ticket.tier, ticket.skill,
                                             ticket.assignee_id, ticket.owner_id):
                raise TicketError(404 if ticket is None else 403,
                                  f"no ticket {ticket_id}" if ticket is None
                                  else "this ticket is routed to another tier or person")
            if not can_claim(member, ticket.tier, ticket.skill, ticket.assignee_id):
                raise TicketError(403, "this ticket is routed to another tier or person")
            # the member's row, shared-locked: a deactivation (which puts their tickets back,
            # release_held) either comes first and refuses this claim, or waits and sees it
            active = session.execute(select(StaffUser.active).where(StaffUser.id == member.id)
                                     .with_for_update(read=True)).scalar_one_or_none()
            if not active:
                raise TicketError(403, "this staff account is no longer active")
            held = session.execute(
                select(func.count()).select_from(Ticket).where(
                    Ticket.owner_id == member.id, Ticket.status == TicketStatus.CLAIMED)
            ).scalar_one()
            if held >= member.capacity:
                raise TicketError(409, f"you already hold {held} tickets (your capacity)")
            won = session.execute(
                update(Ticket)
                .where(Ticket.id == ticket_id, Ticket.status == TicketStatus.QUEUED,
                       Ticket.owner_id.is_(None))
                .values(status=TicketStatus.CLAIMED, owner_id=member.id, claimed_at=now,
                        updated_at=now)
                .execution_options(synchronize_session=False)
            ).rowcount
            if won != 1:
                raise TicketError(409, "someone else has already claimed this ticket")
            session.add(TicketEvent(ticket_id=ticket_id, kind=EventKind.CLAIMED,
                                    actor_id=member.id, created_at=now,
                                    data={"owner": {"id": member.id,
                                                    "display_name": member.display_name}}))
            move_to(session, ticket.conversation_id, State.AGENT, now)
            return ticket.conversation_id

    def note(self, ticket_id: int, member: StaffMember, text: str) -> None:
        text = _checked_text(text, "note")
        with self._sessions.begin() as session:
            self._row(session, ticket_id, member)
            session.add(TicketEvent(ticket_id=ticket_id, kind=EventKind.NOTE, actor_id=member.id,
                                    body=text, created_at=self._clock()))

    def replying(self, ticket_id: int, member: StaffMember) -> str:
        """Checks that this member may answer the customer now; returns the conversation."""
        with self._sessions() as session:
            ticket = self._row(session, ticket_id, member)
            if ticket.status != TicketStatus.CLAIMED or not can_act_as_owner(member, ticket.owner_id):
                raise TicketError(409 if ticket.status != TicketStatus.CLAIMED else 403,
                                  "claim the ticket before replying" if ticket.status
                                  == TicketStatus.QUEUED else "only the ticket's owner replies")
            return ticket.conversation_id

    def replied(self, ticket_id: int, member: StaffMember, message_id: int) -> None:
        """Records the reply on the ticket (first response, history), once per message."""
        now = self._clock()
        with self._sessions.begin() as session:
            recorded = session.execute(
                select(TicketEvent.data).where(TicketEvent.ticket_id == ticket_id,
                                               TicketEvent.kind == EventKind.REPLIED)).scalars()
            if any((data or {}).get("message_id") == message_id for data in recorded):
                return
            session.execute(update(Ticket)
                            .where(Ticket.id == ticket_id, Ticket.first_response_at.is_(None))
                            .values(first_response_at=now)
                            .execution_options(synchronize_session=False))
            session.execute(update(Ticket).where(Ticket.id == ticket_id).values(updated_at=now)
                            .execution_options(synchronize_session=False))
            session.add(TicketEvent(ticket_id=ticket_id, kind=EventKind.REPLIED,
                                    actor_id=member.id, data={"message_id": message_id},
                                    created_at=now))

    def transfer(
        self,
        ticket_id: int,
        member: StaffMember,
        note: str,
        tier: Optional[int] = None,
        skill: Optional[str] = None,
        to_user: Optional[int] = None,
    ) -> str:
        """Hands the ticket on, to a tier's queue or to one person, with a note; returns the
        conversation id."""
        note = _checked_text(note, "note")
        if (tier is None) == (to_user is None):
            raise TicketError(422, "transfer to either a tier or a person (to_user)")
        if tier is not None and tier not in (1, 2, 3):
            raise TicketError(422, "tier must be 1, 2 or 3")
        if skill is not None and (tier != SKILL_TIER or skill not in Skill.ALL):
            raise TicketError(422, f"skill applies to tier {SKILL_TIER} and is one of "
                                   f"{', '.join(Skill.ALL)}")
        if tier == SKILL_TIER and skill is None:
            raise TicketError(422, f"a transfer to tier {SKILL_TIER} names the skill (one of "
                                   f"{', '.join(Skill.ALL)}): its experts are split by skill")
        now = self._clock()
        with self._sessions.begin() as session:
            ticket = self._owned_open(session, ticket_id, member, "transfers")
            new_owner = None
            if to_user is not None and to_user == ticket.owner_id:
                raise TicketError(422, "you already own this ticket: transfer it to a colleague"
                                  if to_user == member.id else "to_user already owns this ticket")
            if to_user is not None:
                target = session.get(StaffUser, to_user)
                if target is None or not target.active or target.role not in Role.TIER:
                    raise TicketError(422, "to_user must be an active agent, expert or account manager")
                ticket.tier, ticket.skill = Role.TIER[target.role], None
                ticket.assignee_id = target.id
                new_owner = {"id": target.id, "display_name": target.display_name}
            else:
                ticket.tier, ticket.skill, ticket.assignee_id = tier, skill, None
            # the new owner claims it from their queue; the history keeps the old owner
            ticket.owner_id = None
            ticket.status = TicketStatus.QUEUED
            ticket.updated_at = now
            session.add(TicketEvent(ticket_id=ticket_id, kind=EventKind.TRANSFERRED,
                                    actor_id=member.id, body=note, created_at=now,
                                    data={"tier": ticket.tier, "skill": ticket.skill,
                                          "to": new_owner, "owner": None}))
            move_to(session, ticket.conversation_id, State.QUEUED, now)
            return ticket.conversation_id

    def resolve(self, ticket_id: int, member: StaffMember, outcome: str, note: str) -> str:
        """Closes the ticket with a structured outcome, gives the conversation back to the
        bot and tells the listeners (the 3-7-30 aftercare messages are scheduled there, in the same
        transaction); returns the conversation id."""
        if outcome not in OUTCOMES:
            raise TicketError(422, f"outcome must be one of {', '.join(OUTCOMES)}")
        note = _checked_text(note, "note")
        now = self._clock()
        with self._sessions.begin() as session:
            ticket = self._owned_open(session, ticket_id, member, "resolves")
            ticket.status = TicketStatus.RESOLVED
            ticket.resolved_at = now
            ticket.updated_at = now
            ticket.outcome = {"outcome": outcome, "note": note, "by": member.display_name,
                              "at": _iso(now)}
            session.add(TicketEvent(ticket_id=ticket_id, kind=EventKind.RESOLVED,
                                    actor_id=member.id, body=note, data={"outcome": outcome},
                                    created_at=now))
            move_to(session, ticket.conversation_id, State.BOT, now)
            for listener in self._listeners:
                listener.ticket_resolved(TicketResolved(session, ticket, now))
            return ticket.conversation_id

    def reasons_of(self, ticket_id: int) -> List[str]:
        """The ticket's reasons (none for a ticket that does not exist)."""
        with self._sessions() as session:
            ticket = session.get(Ticket, ticket_id)
            return list(ticket.reasons or ()) if ticket is not None else []

    def release_held(self, session: Session, user_id: int, actor: StaffMember,
                     now: datetime) -> List[ReleasedTicket]:
        """Puts back in the queue what a staff member who is leaving (deactivated) holds, inside
        the caller's transaction (the deactivation's, so no ticket is left with nobody): the
        tickets they own go back to their tier's queue (skill kept), and those routed to them
        alone lose the assignee, for the same tier to claim. Each keeps the reason in its
        history; the conversation waits for a person again. The customer hears nothing but
        that state: no colleague has been chosen yet."""
        leaving = session.get(StaffUser, user_id)
        name = leaving.display_name if leaving is not None else f"staff member {user_id}"
        held = session.execute(
            select(Ticket).where(Ticket.status != TicketStatus.RESOLVED,
                                 or_(Ticket.owner_id == user_id, Ticket.assignee_id == user_id))
            .order_by(Ticket.id).with_for_update()
        ).scalars().all()
        released = []
        for ticket in held:
            claimed = ticket.owner_id == user_id
            if ticket.assignee_id == user_id:
                ticket.assignee_id = None
                if ticket.tier == SKILL_TIER and ticket.skill is None:
                    # handed to this expert by name: back to the experts of the skill its
                    # reasons route to, else of the leaving expert's own skill, else tier 1
                    routed = route(list(ticket.reasons or ()))
                    skills = list(leaving.skills or ()) if leaving is not None else []
                    ticket.skill = (routed.skill if routed.tier == SKILL_TIER
                                    else skills[0] if skills else None)
                    if ticket.skill is None:
                        ticket.tier = 1
            if claimed:
                ticket.owner_id = None
                ticket.status = TicketStatus.QUEUED
                move_to(session, ticket.conversation_id, State.QUEUED, now)
            ticket.updated_at = now
            session.add(TicketEvent(
                ticket_id=ticket.id, kind=EventKind.TRANSFERRED, actor_id=actor.id, created_at=now,
                body=f"Back in the queue: {name}'s account was deactivated.",
                data={"tier": ticket.tier, "skill": ticket.skill, "to": None, "owner": None,
                      "why": "deactivated"}))
            released.append(ReleasedTicket(ticket.id, ticket.conversation_id, claimed))
        return released

    def withdrawable(self, conversation_id: str) -> bool:
        """Whether the conversation's ticket is one its customer may still withdraw (see
        `withdraw`): the gateway asks "are you sorted?" only then."""
        with self._sessions() as session:
            return self._withdrawable_id(session, conversation_id) is not None

    @staticmethod
    def _withdrawable_id(session: Session, conversation_id: str) -> Optional[int]:
        found = session.execute(
            select(Ticket.id, Ticket.reasons)
            .where(Ticket.conversation_id == conversation_id, *_UNTOUCHED)).one_or_none()
        if found is None or set(found.reasons or ()) & KEPT_FOR_THE_TEAM:
            return None
        return found.id

    def withdraw(self, conversation_id: str) -> Optional[int]:
        """The customer no longer needs a person: the conversation's ticket, while nobody has
        worked on it yet, is closed as withdrawn and the conversation goes back to the bot.
        Returns the ticket, or None when there is nothing to withdraw: a person has claimed it
        (now or before a transfer), or it names a danger the team must close itself
        (`KEPT_FOR_THE_TEAM`). No aftercare: nobody handled the case."""
        now = self._clock()
        note = "The customer no longer needed a person and left the queue."
        with self._sessions.begin() as session:
            ticket_id = self._withdrawable_id(session, conversation_id)
            if ticket_id is None:
                return None
            # conditional, like a claim: a claim at the same instant wins or loses as a whole
            won = session.execute(
                update(Ticket).where(Ticket.id == ticket_id, *_UNTOUCHED)
                .values(status=TicketStatus.RESOLVED, resolved_at=now, updated_at=now,
                        outcome={"outcome": WITHDRAWN, "note": note, "by": "the customer",
                                 "at": _iso(now)})
                .execution_options(synchronize_session=False)
            ).rowcount == 1
            if not won:
                return None
            session.add(TicketEvent(ticket_id=ticket_id, kind=EventKind.RESOLVED, body=note,
                                    data={"outcome": WITHDRAWN}, created_at=now))
            move_to(session, conversation_id, State.BOT, now)
            return ticket_id

    # --- figures ------------------------------------------------------------------------
    def sla_counts(self) -> Dict[str, int]:
        """Tickets that broke (or are breaking) each SLA promise, and the open total."""
        now = self._clock()
        with self._sessions() as session:
            rows = session.execute(select(Ticket.first_response_due, Ticket.resolution_due,
                                          Ticket.first_response_at, Ticket.resolved_at,
                                          Ticket.status, Ticket.outcome)).all()
        counts = {"open": 0, "first_response_breached": 0, "resolution_breached": 0}
        for first_due, resolution_due, first_at, resolved_at, status, outcome in rows:
            counts["open"] += status != TicketStatus.RESOLVED
            status_now = sla_status(first_due, resolution_due, first_at, resolved_at, now,
                                    withdrawn_at=_withdrawn_at(outcome, resolved_at))
            counts["first_response_breached"] += status_now["first_response_breached"]
            counts["resolution_breached"] += status_now["resolution_breached"]
        return counts

    def queue_snapshot(self, tier: int) -> tuple[int, List[float]]:
        """How many tickets wait in a tier, and recent claim delays (minutes) there."""
        with self._sessions() as session:
            waiting = session.execute(select(func.count()).select_from(Ticket).where(
                Ticket.status == TicketStatus.QUEUED, Ticket.tier == tier)).scalar_one()
            recent = session.execute(
                select(Ticket.created_at, Ticket.claimed_at)
                .where(Ticket.tier == tier, Ticket.claimed_at.is_not(None))
                .order_by(Ticket.claimed_at.desc()).limit(20)).all()
        return waiting, [(claimed - created).total_seconds() / 60 for created, claimed in recent]


def _checked_text(text: Any, what: str) -> str:
    if not isinstance(text, str) or not text.strip():
        raise TicketError(422, f"{what} must be a non-empty string")
    if len(text) > MAX_NOTE:
        raise TicketError(422, f"{what} is longer than {MAX_NOTE} characters")
    return text.strip()


REASON_LABELS = {
    Reason.CRISIS: "may harm themselves",
    Reason.VULNERABLE: "needs extra support",
    Reason.SAFETY: "safety or injury", Reason.LEGAL: "legal threat", Reason.FRAUD: "suspected fraud",
    Reason.IDENTITY_LOCK: "identity checks locked",
    Reason.BILLING: "billing dispute", Reason.EVIDENCE: "dispute with evidence",
    Reason.CHURN: "threatens to leave", Reason.REPEAT_CONTACT: "contacted us before about this",
    Reason.BUSINESS: "business contract change", Reason.BEREAVEMENT: "bereavement",
    Reason.MISSING_PARCEL: "delivered but not received",
    Reason.MISSING_ITEMS: "items missing from a delivery",
    Reason.CANCELLATION_REGRETTED: "wants a cancelled order back", Reason.NEGATIVE_EMOTION: "very upset",
    Reason.EMOTION_DROP: "growing frustration", Reason.COMPLAINT: "complaint",
    Reason.REQUESTED: "asked for a person", Reason.REPEATED_FALLBACK: "bot did not understand twice",
    Reason.REPEATED_QUESTION: "asked the same again", Reason.VIP: "VIP customer",
    Reason.ASSISTANT_UNAVAILABLE: "assistant unavailable", Reason.LOW_RATING: "rated the help poorly",
    Reason.NEGATIVE_FEEDBACK: "negative feedback",
    Reason.NOT_SOLVED: "says the case is not solved", Reason.CHECK_IN: "30-day check-in with a VIP",
    Reason.ERASURE_REQUEST: "asks to close the account and erase their data",
    Reason.WARRANTY_CLAIM: "warranty claim",
    Reason.REQUIREMENT: "new requirement to answer",
}
