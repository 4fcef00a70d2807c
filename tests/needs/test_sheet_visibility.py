"""Requirement sheets follow their conversation's tickets (SQLite and PostgreSQL): a staff
member reads a sheet only when they may see a ticket of its conversation, admins every
sheet, and a sheet of a conversation without a ticket only admins."""

from __future__ import annotations

from typing import Dict, Iterator, List, Optional

import pytest
from sqlalchemy.orm import Session, sessionmaker

import needs.visibility
from bot.schema import upgrade
from ground.database import create_database_engine
from company.models import Customer
from handoff.accounts import StaffMember
from handoff.escalation import Reason
from handoff.models import Role
from needs.records import RequirementSheet, RequirementStore
from tests.databases import Clock
from tests.handoff.test_tickets import Desk


class SheetDesk(Desk):
    """The ticket desk of test_tickets, and the requirement sheets of the same database."""

    def __init__(self, sessions: sessionmaker, clock: Clock) -> None:
        super().__init__(sessions, clock)
        self.requirements = RequirementStore(sessions, clock)

    def sheet(self, conversation_id: str, what: str) -> int:
        return self.requirements.save(conversation_id, "web", None, RequirementSheet(what=what), {})

    def sheet_with_ticket(self, what: str, *reasons: str, customer_id: Optional[int] = None):
        conversation, opened = self.ticket(*reasons, customer_id=customer_id)
        return self.sheet(conversation.id, what), opened.id

    def readable(self, member: StaffMember, **filters: object) -> List[str]:
        return [found["fields"]["what"] for found in self.requirements.readable(member, **filters)]

    def can_read(self, member: StaffMember, requirement_id: int) -> bool:
        found = self.requirements.readable_one(member, requirement_id)
        assert found is None or found["id"] == requirement_id
        return found is not None


@pytest.fixture
def desk(database: str, clock: Clock) -> Iterator[SheetDesk]:
    upgrade(database)
    engine = create_database_engine(database)
    yield SheetDesk(sessionmaker(bind=engine, class_=Session, future=True, expire_on_commit=False),
                    clock)
    engine.dispose()


def vip_of(desk: SheetDesk, manager: StaffMember) -> int:
    with desk.sessions.begin() as session:
        vip = Customer(name="Vera Ip", email="vera@example.com", address_line="1 High St",
                       city="Leeds", postcode="LS1 1AA", tier="gold", is_vip=True,
                       yearly_spend_pence=1_250_000, created_at=desk.clock.now)
        session.add(vip)
        session.flush()
        vip_id = vip.id
    desk.accounts.assign_customer(vip_id, manager.id)
    return vip_id


def test_a_sheet_is_read_by_whoever_may_see_its_ticket(desk: SheetDesk) -> None:
    staff: Dict[str, StaffMember] = {
        "admin": desk.staff("root", Role.ADMIN),
        "agent": desk.staff("ann", Role.AGENT),
        "technical": desk.staff("ted", Role.EXPERT, ["technical"]),
        "product": desk.staff("pia", Role.EXPERT, ["product"]),
        "manager": desk.staff("mia", Role.ACCOUNT_MANAGER),
        "other_manager": desk.staff("max", Role.ACCOUNT_MANAGER),
        "trainer": desk.staff("tia", Role.TRAINER),
    }
    vip = vip_of(desk, staff["manager"])
    sheets = {  # what each sheet asks for: its id
        "frontline chairs": desk.sheet_with_ticket("frontline chairs", Reason.REQUESTED)[0],
        "fraud-proof lockers": desk.sheet_with_ticket("fraud-proof lockers", Reason.FRAUD)[0],
        "VIP desks": desk.sheet_with_ticket("VIP desks", Reason.REQUESTED, Reason.VIP,
                                            customer_id=vip)[0],
        "unhanded lamps": desk.sheet(desk.conversations.create_web_conversation().id,
                                     "unhanded lamps"),  # no ticket: admins only
    }
    readers = {  # who reads which sheet, newest first
        "admin": ["unhanded lamps", "VIP desks", "fraud-proof lockers", "frontline chairs"],
        "agent": ["frontline chairs"],
        "technical": ["fraud-proof lockers"],
        "product": [],
        "manager": ["VIP desks"],
        "other_manager": [],
        "trainer": [],
    }
    for name, expected in readers.items():
        member = staff[name]
        assert desk.readable(member) == expected, name
        assert [what for what, requirement_id in sheets.items()
                if desk.can_read(member, requirement_id)] == sorted(expected, key=list(sheets).index), name
    assert not desk.can_read(staff["admin"], max(sheets.values()) + 1)  # none such


def test_a_sheet_moves_with_its_ticket(desk: SheetDesk) -> None:
    agent = desk.staff("ann", Role.AGENT)
    product = desk.staff("pia", Role.EXPERT, ["product"])
    requirement_id, ticket_id = desk.sheet_with_ticket("kettle recall notices", Reason.REQUESTED)
    conversation_id = desk.requirements.get(requirement_id)["conversation_id"]
    assert desk.can_read(agent, requirement_id) and not desk.can_read(product, requirement_id)

    desk.tickets.claim(ticket_id, agent)
    desk.tickets.transfer(ticket_id, agent, "a product safety question", tier=2, skill="product")
    assert not desk.can_read(agent, requirement_id)  # the ticket left them: so did the sheet
    assert desk.readable(agent, conversation_id=conversation_id) == []
    assert desk.can_read(product, requirement_id)
    assert desk.readable(product, conversation_id=conversation_id) == ["kettle recall notices"]

    desk.tickets.claim(ticket_id, product)
    desk.tickets.resolve(ticket_id, product, "solved", "sent the recall notice")
    assert desk.can_read(product, requirement_id)  # the owner of the resolved ticket still does
    assert not desk.can_read(agent, requirement_id)


def test_the_list_reaches_past_sheets_the_member_may_not_read(
        desk: SheetDesk, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(needs.visibility, "BATCH", 2)  # read the sheets two at a time
    technical = desk.staff("ted", Role.EXPERT, ["technical"])
    older = desk.sheet_with_ticket("old fraud report", Reason.FRAUD)[0]
    # tier 2 for another skill: the SQL narrowing keeps them, can_see turns them down
    for number in range(5):
        desk.sheet_with_ticket(f"safety sheet {number}", Reason.SAFETY)
    newer = desk.sheet_with_ticket("new fraud report", Reason.FRAUD)[0]
    assert desk.readable(technical) == ["new fraud report", "old fraud report"]
    assert desk.readable(technical, limit=1) == ["new fraud report"]
    assert desk.can_read(technical, older) and desk.can_read(technical, newer)
