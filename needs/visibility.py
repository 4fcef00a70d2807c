"""Who may read which requirement sheet: a sheet follows its conversation's tickets.

A staff member reads a sheet when they may see a ticket of the sheet's conversation (any of
its tickets, open or resolved), as `handoff.permissions.can_see` decides for the ticket
itself: tier, skill, assignee, owner. Admins read every sheet. A sheet whose conversation
has no ticket was never handed to anybody, so only admins read it. Nothing else decides:
the sheets API and the ticket detail both ask `may_read` through `readable_sheets`.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Dict, Iterable, List, Optional, Set

from sqlalchemy import select
from sqlalchemy.sql import Select
from sqlalchemy.orm import Session

from handoff.accounts import StaffMember
from handoff.models import Role, Ticket
from handoff.permissions import can_see, possibly_visible
from needs.models import Requirement

BATCH = 200  # sheets read at a time while looking for the ones a member may read


def may_read(member: StaffMember, tickets: Iterable[Ticket]) -> bool:
    """`tickets`: every ticket of the sheet's conversation (none: admins only)."""
    if member.role == Role.ADMIN:
        return True
    return any(can_see(member, t.tier, t.skill, t.assignee_id, t.owner_id) for t in tickets)


def _tickets_by_conversation(session: Session, conversations: Set[str]) -> Dict[str, List[Ticket]]:
    found: Dict[str, List[Ticket]] = defaultdict(list)
    if conversations:
        for ticket in session.scalars(select(Ticket).where(Ticket.conversation_id.in_(conversations))):
            found[ticket.conversation_id].append(ticket)
    return found


def readable_sheets(session: Session, member: StaffMember, query: Select,
                    limit: int) -> List[Requirement]:
    """The first `limit` rows of `query` (requirements, newest first by id) this member may
    read. SQL narrows the rows to conversations with a ticket the member might see;
    `may_read` decides each one."""
    narrowed = possibly_visible(member)
    if narrowed is not None:
        query = query.where(Requirement.conversation_id.in_(
            select(Ticket.conversation_id).where(narrowed)))
    found: List[Requirement] = []
    before: Optional[int] = None
    while len(found) < limit:
        page = query if before is None else query.where(Requirement.id < before)
        rows = list(session.scalars(page.order_by(None).order_by(Requirement.id.desc()).limit(BATCH)))
        tickets = _tickets_by_conversation(session, {row.conversation_id for row in rows})
        found += [row for row in rows if may_read(member, tickets.get(row.conversation_id, ()))]
        if len(rows) < BATCH:
            break
        before = rows[-1].id
    return found[:limit]


def readable_sheet(session: Session, member: StaffMember, requirement_id: int) -> Optional[Requirement]:
    """The sheet, or None when there is none or this member may not read it (the API says
    404 either way, so sheet ids tell nobody what exists)."""
    row = session.get(Requirement, requirement_id)
    if row is None:
        return None
    tickets = _tickets_by_conversation(session, {row.conversation_id})
    return row if may_read(member, tickets.get(row.conversation_id, ())) else None
