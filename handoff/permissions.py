"""Who may see and act on which ticket: one place for every staff endpoint to ask.

Admins see everything. Otherwise a ticket is visible to its owner, to the one person it is
routed to, and to the staff of the tier it is routed to: tier 1 to agents, tier 2 to
experts with its skill, tier 3 only to its account manager. Trainers handle no tickets.
Replying, transferring and resolving belong to the owner (and admins may resolve or
transfer any ticket, for cover). What goes with a ticket follows it: the conversation's
requirement sheets are read by whoever may see one of its tickets (needs/visibility.py).

The returns desk is open to everyone who handles tickets, but recording a refund as paid is
kept to those who can see that the money left: experts with the operations skill, and
admins. A refund recorded paid is what the assistant then tells the customer, so a frontline
agent closing a chase cannot make it true by pressing a button.
"""

from __future__ import annotations

from typing import Optional

from sqlalchemy import or_
from sqlalchemy.sql.elements import ColumnElement

from handoff.accounts import StaffMember
from handoff.models import Role, Skill, Ticket
from handoff.routing import SKILL_TIER

HANDLES_TICKETS = frozenset({Role.AGENT, Role.EXPERT, Role.ACCOUNT_MANAGER, Role.ADMIN})


def routed_to(member: StaffMember, tier: int, skill: Optional[str],
              assignee_id: Optional[int]) -> bool:
    """The ticket waits for this person (or their tier) to claim it."""
    if assignee_id is not None:
        return assignee_id == member.id
    if member.tier != tier:
        return False
    return tier != SKILL_TIER or skill is None or skill in member.skills


def can_see(member: StaffMember, tier: int, skill: Optional[str], assignee_id: Optional[int],
            owner_id: Optional[int]) -> bool:
    if member.role == Role.ADMIN:
        return True
    if member.role not in HANDLES_TICKETS:
        return False
    return owner_id == member.id or routed_to(member, tier, skill, assignee_id)


def possibly_visible(member: StaffMember) -> Optional[ColumnElement]:
    """A SQL condition on `tickets` true for every ticket `can_see` shows this member (and
    for a few more, e.g. the tier's tickets for another skill), to narrow a query before
    `can_see` decides row by row; None for admins, who see every ticket."""
    if member.role == Role.ADMIN:
        return None
    if member.role not in HANDLES_TICKETS:
        return Ticket.id.is_(None)  # no ticket: trainers handle none
    return or_(Ticket.owner_id == member.id, Ticket.assignee_id == member.id,
               Ticket.tier == (member.tier or -1))


def can_claim(member: StaffMember, tier: int, skill: Optional[str],
              assignee_id: Optional[int]) -> bool:
    return member.role in HANDLES_TICKETS and (
        member.role == Role.ADMIN or routed_to(member, tier, skill, assignee_id))


def can_act_as_owner(member: StaffMember, owner_id: Optional[int], for_cover: bool = False) -> bool:
    """Reply and notes: the owner. Transfer and resolve (`for_cover`): the owner or an admin."""
    return owner_id == member.id or (for_cover and member.role == Role.ADMIN)


def may_record_refunds(member: StaffMember) -> bool:
    """Whether this member may record a return's refund as paid."""
    return member.role == Role.ADMIN or (member.role == Role.EXPERT
                                         and Skill.OPERATIONS in member.skills)
