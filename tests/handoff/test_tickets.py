"""The ticket queue on real, migrated databases (SQLite and PostgreSQL): routing, atomic
claims, ownership, transfers with history, SLA clocks, and the conversation's state."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Iterator, List

import pytest
from sqlalchemy.orm import Session, sessionmaker

from conversations.models import State
from conversations.store import ConversationStore
from bot.schema import upgrade
from ground.database import create_database_engine
from company.models import Customer
from handoff.accounts import StaffAccounts, StaffMember
from handoff.escalation import PRIORITY_NORMAL, PRIORITY_URGENT, Decision, Reason
from handoff.models import Role
from handoff.sla import SlaPolicy
from handoff.tickets import TicketError, TicketStore
from tests.databases import Clock

PASSWORD = "correct horse battery staple"


class Desk:
    """The stores of one database, and a few staff."""

    def __init__(self, sessions: sessionmaker, clock: Clock) -> None:
        self.sessions = sessions
        self.conversations = ConversationStore(sessions, clock)
        self.tickets = TicketStore(sessions, SlaPolicy(), clock)
        self.accounts = StaffAccounts(sessions, clock)
        self.clock = clock

    def staff(self, name: str, role: str, skills=(), capacity: int = 5) -> StaffMember:
        return self.accounts.create_user(name, PASSWORD, role, name.title(), skills, capacity)

    def ticket(self, *reasons: str, priority: int = PRIORITY_NORMAL, customer_id=None):
        conversation = self.conversations.create_web_conversation()
        opened = self.tickets.open(conversation.id, Decision(True, reasons, priority),
                                   {"profile": {}, "sentiment": [-0.2, -0.7]}, "summary", customer_id)
        return conversation, opened


@pytest.fixture
def desk(database: str, clock: Clock) -> Iterator[Desk]:
    upgrade(database)
    engine = create_database_engine(database)
    yield Desk(sessionmaker(bind=engine, class_=Session, future=True, expire_on_commit=False), clock)
    engine.dispose()


def test_opening_queues_the_conversation_with_sla_due_times(desk: Desk) -> None:
    conversation, opened = desk.ticket(Reason.REQUESTED)
    assert opened.created and opened.tier == 1
    assert desk.conversations.conversation(conversation.id).state == State.QUEUED
    admin = desk.staff("root", Role.ADMIN)
    detail = desk.tickets.detail(opened.id, admin)
    assert detail["sla"]["first_response_due"] == (desk.clock.now + timedelta(hours=1)).isoformat() + "Z"
    assert detail["sla"]["resolution_due"] == (desk.clock.now + timedelta(hours=72)).isoformat() + "Z"
    assert detail["sentiment"] == [-0.2, -0.7] and detail["history"][0]["kind"] == "created"


def test_a_second_escalation_adds_reasons_to_the_open_ticket(desk: Desk) -> None:
    conversation, first = desk.ticket(Reason.REQUESTED)
    again = desk.tickets.open(conversation.id, Decision(True, (Reason.FRAUD,), PRIORITY_URGENT), {}, "s")
    assert not again.created and again.id == first.id
    assert list(again.reasons) == [Reason.REQUESTED, Reason.FRAUD] and again.priority == PRIORITY_URGENT


def test_a_reason_added_in_the_queue_sends_the_ticket_where_it_now_belongs(desk: Desk) -> None:
    """A staff run: a legal threat and fraud written in the queue raised the priority but left
    the tickets with the frontline, who could close them; a ticket a person has already taken
    or passed on stays where it is."""
    admin = desk.staff("root", Role.ADMIN)
    conversation, first = desk.ticket(Reason.REQUESTED)
    again = desk.tickets.open(conversation.id, Decision(True, (Reason.FRAUD,), PRIORITY_URGENT), {}, "s")
    assert again.tier == 2 and desk.tickets.detail(first.id, admin)["skill"] == "technical"
    history = desk.tickets.detail(first.id, admin)["history"]
    assert history[-1]["kind"] == "reason_added" and history[-1]["data"]["skill"] == "technical", history[-1]
    agent = desk.staff("ann", Role.AGENT)
    claimed_conversation, claimed = desk.ticket(Reason.REQUESTED)
    desk.tickets.claim(claimed.id, agent)
    kept = desk.tickets.open(claimed_conversation.id, Decision(True, (Reason.LEGAL,), PRIORITY_URGENT), {}, "s")
    assert kept.tier == 1 and Reason.LEGAL in kept.reasons


def test_routing_by_reason_skill_and_vip_ownership(desk: Desk) -> None:
    agent = desk.staff("ann", Role.AGENT)
    tech = desk.staff("ted", Role.EXPERT, ["technical"])
    ops = desk.staff("otto", Role.EXPERT, ["operations"])
    manager = desk.staff("mia", Role.ACCOUNT_MANAGER)
    other_manager = desk.staff("max", Role.ACCOUNT_MANAGER)
    with desk.sessions.begin() as session:
        vip = Customer(name="Vera Ip", email="vera@example.com", address_line="1 High St",
                       city="Leeds", postcode="LS1 1AA", tier="gold", is_vip=True,
                       yearly_spend_pence=1_250_000, created_at=desk.clock.now)
        session.add(vip)
        session.flush()
        vip_id = vip.id
    desk.accounts.assign_customer(vip_id, manager.id)

    _, fraud = desk.ticket(Reason.FRAUD)
    _, vip_ticket = desk.ticket(Reason.REQUESTED, Reason.VIP, customer_id=vip_id)
    _, plain = desk.ticket(Reason.COMPLAINT)
    assert (fraud.tier, vip_ticket.tier, plain.tier) == (2, 3, 1)

    def visible(member):
        return {t["id"] for t in desk.tickets.list(member)}

    assert visible(agent) == {plain.id}
    assert visible(tech) == {fraud.id}
    assert visible(ops) == set()
    assert visible(manager) == {vip_ticket.id}
    assert visible(other_manager) == set()
    with pytest.raises(TicketError) as refused:
        desk.tickets.claim(fraud.id, agent)
    assert refused.value.status == 403
    with pytest.raises(TicketError):
        desk.tickets.detail(vip_ticket.id, other_manager)


def test_two_agents_claiming_at_the_same_instant_get_exactly_one_winner(desk: Desk) -> None:
    agents = [desk.staff(f"agent{n}", Role.AGENT) for n in range(6)]
    for _round in range(3):
        conversation, opened = desk.ticket(Reason.REQUESTED)
        start = threading.Barrier(len(agents))
        outcomes: List[object] = []

        def claim(member: StaffMember) -> None:
            start.wait()
            try:
                desk.tickets.claim(opened.id, member)
                outcomes.append(member.id)
            except TicketError as error:
                outcomes.append(error.status)

        threads = [threading.Thread(target=claim, args=(a,)) for a in agents]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        winners = [o for o in outcomes if o not in (409,)]
        assert len(winners) == 1 and outcomes.count(409) == len(agents) - 1, outcomes
        detail = desk.tickets.detail(opened.id, agents[0])
        assert detail["owner"]["id"] == winners[0] and detail["status"] == "claimed"
        assert desk.conversations.conversation(conversation.id).state == State.AGENT


def test_capacity_limits_how_many_tickets_one_agent_holds(desk: Desk) -> None:
    agent = desk.staff("busy", Role.AGENT, capacity=1)
    _, first = desk.ticket(Reason.REQUESTED)
    _, second = desk.ticket(Reason.REQUESTED)
    desk.tickets.claim(first.id, agent)
    with pytest.raises(TicketError) as full:
        desk.tickets.claim(second.id, agent)
    assert full.value.status == 409 and "capacity" in full.value.message


def test_only_the_owner_replies_and_the_first_reply_stops_the_clock(desk: Desk) -> None:
    owner = desk.staff("olga", Role.AGENT)
    colleague = desk.staff("carl", Role.AGENT)
    _, opened = desk.ticket(Reason.REQUESTED)
    with pytest.raises(TicketError) as early:
        desk.tickets.replying(opened.id, owner)
    assert early.value.status == 409  # claim first
    desk.tickets.claim(opened.id, owner)
    with pytest.raises(TicketError) as foreign:
        desk.tickets.replying(opened.id, colleague)
    assert foreign.value.status == 403
    desk.clock.now += timedelta(minutes=20)
    desk.tickets.replied(opened.id, owner, message_id=1)
    desk.clock.now += timedelta(hours=2)
    sla = desk.tickets.detail(opened.id, owner)["sla"]
    assert sla["first_response_at"] and not sla["first_response_breached"]


def test_sla_breaches_are_flagged_and_counted(desk: Desk) -> None:
    _, late = desk.ticket(Reason.REQUESTED)
    desk.clock.now += timedelta(minutes=61)
    _, fresh = desk.ticket(Reason.REQUESTED)
    admin = desk.staff("boss", Role.ADMIN)
    flags = {t["id"]: t["sla"]["first_response_breached"] for t in desk.tickets.list(admin)}
    assert flags == {late.id: True, fresh.id: False}
    assert desk.tickets.sla_counts() == {"open": 2, "first_response_breached": 1, "resolution_breached": 0}
    desk.clock.now += timedelta(hours=72, minutes=1)
    assert desk.tickets.sla_counts()["resolution_breached"] == 2


def test_transfer_keeps_the_owner_history_and_needs_a_note(desk: Desk) -> None:
    agent = desk.staff("fay", Role.AGENT)
    expert = desk.staff("ed", Role.EXPERT, ["technical"])
    conversation, opened = desk.ticket(Reason.REQUESTED)
    desk.tickets.claim(opened.id, agent)
    with pytest.raises(TicketError):
        desk.tickets.transfer(opened.id, agent, "  ", tier=2, skill="technical")
    desk.tickets.transfer(opened.id, agent, "needs a look at the login logs", tier=2, skill="technical")
    assert desk.conversations.conversation(conversation.id).state == State.QUEUED
    with pytest.raises(TicketError):
        desk.tickets.detail(opened.id, agent)  # routed to another tier now
    desk.tickets.claim(opened.id, expert)
    detail = desk.tickets.detail(opened.id, expert)
    assert [o["kind"] for o in detail["owners"]] == ["claimed", "transferred", "claimed"]
    assert detail["owners"][0]["owner"]["id"] == agent.id and detail["owners"][2]["owner"]["id"] == expert.id
    assert any(h["body"] == "needs a look at the login logs" for h in detail["history"])


def test_resolving_hands_the_conversation_back_to_the_bot(desk: Desk) -> None:
    agent = desk.staff("rae", Role.AGENT)
    conversation, opened = desk.ticket(Reason.REQUESTED)
    desk.tickets.claim(opened.id, agent)
    with pytest.raises(TicketError):
        desk.tickets.resolve(opened.id, agent, "fixed-ish", "done")  # not an outcome
    assert desk.tickets.resolve(opened.id, agent, "solved", "refund issued") == conversation.id
    assert desk.conversations.conversation(conversation.id).state == State.BOT
    detail = desk.tickets.detail(opened.id, agent)
    assert detail["status"] == "resolved" and detail["outcome"]["outcome"] == "solved"
    with pytest.raises(TicketError) as twice:
        desk.tickets.resolve(opened.id, agent, "solved", "again")
    assert twice.value.status == 409
    # a new escalation later opens a new ticket
    again = desk.tickets.open(conversation.id, Decision(True, (Reason.REQUESTED,)), {}, "s")
    assert again.created and again.id != opened.id


def test_a_customer_withdraws_a_queued_ticket_not_a_claimed_one(desk: Desk) -> None:
    """A customer who no longer needs a person leaves the queue: the ticket closes as
    withdrawn and the bot is in charge again; once a person has claimed it, it stays theirs."""
    admin = desk.staff("root", Role.ADMIN)
    conversation, opened = desk.ticket(Reason.REQUESTED)
    desk.clock.now += timedelta(minutes=5)
    assert desk.tickets.withdraw(conversation.id) == opened.id
    assert desk.conversations.conversation(conversation.id).state == State.BOT
    detail = desk.tickets.detail(opened.id, admin)
    assert detail["status"] == "resolved" and detail["outcome"]["outcome"] == "withdrawn"
    assert detail["history"][-1]["kind"] == "resolved" and detail["history"][-1]["actor"] is None
    assert desk.tickets.withdraw(conversation.id) is None  # nothing left to withdraw
    # no person handled it: nothing to rate or follow up
    assert desk.tickets.last_resolved(conversation.id) is None

    claimed_conversation, claimed = desk.ticket(Reason.REQUESTED)
    desk.tickets.claim(claimed.id, admin)
    assert desk.tickets.withdraw(claimed_conversation.id) is None
    assert desk.tickets.detail(claimed.id, admin)["status"] == "claimed"
    assert desk.conversations.conversation(claimed_conversation.id).state == State.AGENT


def test_a_ticket_worked_on_or_naming_a_danger_is_not_withdrawn(desk: Desk) -> None:
    """Claimed, then transferred back to the queue: the agent's handover must not vanish on
    "that's sorted then". Safety, legal and fraud cases are closed by a person."""
    agent = desk.staff("fay", Role.AGENT)
    desk.staff("ed", Role.EXPERT, ["technical"])
    conversation, opened = desk.ticket(Reason.REQUESTED)
    desk.tickets.claim(opened.id, agent)
    desk.tickets.transfer(opened.id, agent, "over to the experts", tier=2, skill="technical")
    assert desk.conversations.conversation(conversation.id).state == State.QUEUED
    assert desk.tickets.withdraw(conversation.id) is None
    assert not desk.tickets.withdrawable(conversation.id)
    for reason in (Reason.SAFETY, Reason.LEGAL, Reason.FRAUD, Reason.BEREAVEMENT,
                   Reason.NEGATIVE_EMOTION, Reason.COMPLAINT):
        risky, _ = desk.ticket(reason)
        assert not desk.tickets.withdrawable(risky.id), reason
        assert desk.tickets.withdraw(risky.id) is None, reason
        assert desk.conversations.conversation(risky.id).state == State.QUEUED
    plain, _ = desk.ticket(Reason.REQUESTED)
    assert desk.tickets.withdrawable(plain.id)


def test_withdrawing_stops_the_first_response_clock(desk: Desk) -> None:
    """Left the queue within the hour: no breach, ever. Left after waiting longer: a breach."""
    admin = desk.staff("root", Role.ADMIN)
    early_conversation, early = desk.ticket(Reason.REQUESTED)
    late_conversation, late = desk.ticket(Reason.REQUESTED)
    desk.clock.now += timedelta(minutes=30)
    desk.tickets.withdraw(early_conversation.id)
    desk.clock.now += timedelta(minutes=40)
    desk.tickets.withdraw(late_conversation.id)
    desk.clock.now += timedelta(days=4)
    flags = {t["id"]: (t["sla"]["first_response_breached"], t["sla"]["resolution_breached"])
             for t in desk.tickets.list(admin)}
    assert flags == {early.id: (False, False), late.id: (True, False)}
    assert desk.tickets.sla_counts() == {"open": 0, "first_response_breached": 1,
                                         "resolution_breached": 0}


def test_a_transfer_names_a_colleague_and_the_skill_of_tier_2(desk: Desk) -> None:
    """An owner "transferring" to themself put the ticket back in the queue and told the
    customer they were passed on; tier 2 without a skill went to every expert."""
    agent = desk.staff("tom", Role.AGENT)
    admin = desk.staff("boss", Role.ADMIN)
    conversation, opened = desk.ticket(Reason.REQUESTED)
    desk.tickets.claim(opened.id, agent)
    for member in (agent, admin):  # the owner, and an admin covering
        with pytest.raises(TicketError) as itself:
            desk.tickets.transfer(opened.id, member, "x", to_user=agent.id)
        assert itself.value.status == 422 and "already own" in itself.value.message
    with pytest.raises(TicketError) as no_skill:
        desk.tickets.transfer(opened.id, agent, "x", tier=2)
    assert no_skill.value.status == 422 and "skill" in no_skill.value.message
    detail = desk.tickets.detail(opened.id, agent)  # nothing changed
    assert (detail["status"], detail["owner"]["id"], detail["tier"]) == ("claimed", agent.id, 1)
    assert desk.conversations.conversation(conversation.id).state == State.AGENT
    desk.tickets.transfer(opened.id, agent, "x", tier=2, skill="product")
    assert desk.tickets.detail(opened.id, admin)["skill"] == "product"


def test_deactivating_a_staff_member_puts_their_tickets_back_in_the_queue(desk: Desk) -> None:
    """A deactivated agent's claimed tickets were stuck: nobody else could claim or transfer
    them, and the customer's messages reached nobody."""
    leaving = desk.staff("cagent2", Role.AGENT)
    colleague = desk.staff("cagent3", Role.AGENT)
    expert = desk.staff("ted", Role.EXPERT, ["technical"])
    other_expert = desk.staff("tess", Role.EXPERT, ["technical"])
    product_expert = desk.staff("pat", Role.EXPERT, ["product"])
    admin = desk.staff("boss", Role.ADMIN)
    claimed_conversation, claimed = desk.ticket(Reason.REQUESTED)
    desk.tickets.claim(claimed.id, leaving)
    _, fraud = desk.ticket(Reason.FRAUD)
    desk.tickets.claim(fraud.id, expert)
    # routed to the leaving agent alone, not yet claimed
    _, handed = desk.ticket(Reason.REQUESTED)
    desk.tickets.claim(handed.id, colleague)
    desk.tickets.transfer(handed.id, colleague, "you know this customer", to_user=leaving.id)
    _, untouched = desk.ticket(Reason.REQUESTED)
    # handed to the expert by name (tier 2, no skill): a review found it back with every
    # expert once the expert left
    _, named = desk.ticket(Reason.REQUESTED)
    desk.tickets.claim(named.id, colleague)
    desk.tickets.transfer(named.id, colleague, "ted knows the fault", to_user=expert.id)

    for member in (leaving, expert):
        released = desk.accounts.set_active(
            member.id, False,
            lambda session, now, gone=member: desk.tickets.release_held(session, gone.id, admin, now))
        assert released and all(r.conversation_id for r in released)
    assert desk.accounts.member(leaving.id).active is False

    # the same routing as before, for whoever is left there to claim
    assert desk.conversations.conversation(claimed_conversation.id).state == State.QUEUED
    detail = desk.tickets.detail(claimed.id, colleague)
    assert (detail["status"], detail["owner"], detail["tier"]) == ("queued", None, 1)
    assert "deactivated" in detail["history"][-1]["body"]
    assert detail["history"][-1]["actor"]["id"] == admin.id
    assert [o["owner"] for o in detail["owners"]][-1] is None
    assert {t["id"] for t in desk.tickets.list(product_expert)} == set()
    assert fraud.id in {t["id"] for t in desk.tickets.list(other_expert)}
    assert desk.tickets.detail(fraud.id, admin)["skill"] == "technical"
    assert (desk.tickets.detail(named.id, admin)["tier"], desk.tickets.detail(named.id, admin)["skill"]) == (
        2, "technical")
    assert named.id not in {t["id"] for t in desk.tickets.list(product_expert)}
    for ticket_id, member in ((claimed.id, colleague), (handed.id, colleague),
                              (fraud.id, other_expert)):
        desk.tickets.claim(ticket_id, member)
    # a ticket the leaving agent never touched has nothing new in its history
    assert [h["kind"] for h in desk.tickets.detail(untouched.id, admin)["history"]] == ["created"]
    # a claim by someone deactivated meanwhile (a console still open, a request in flight)
    # is refused: it would leave a ticket with someone who cannot log in
    _, late = desk.ticket(Reason.REQUESTED)
    with pytest.raises(TicketError) as refused:
        desk.tickets.claim(late.id, leaving)
    assert refused.value.status == 403
    # reactivating touches no ticket
    assert desk.accounts.set_active(leaving.id, True, lambda session, now: 1 / 0) is None
