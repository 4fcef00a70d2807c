"""The 3-7-30 aftercare schedule on SQLite and PostgreSQL, with a clock the test moves:
scheduling on resolve, quiet hours, opt-out, a restart, and two workers racing for it."""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from datetime import datetime, timedelta
from typing import Any, Iterator, List, Optional, Tuple

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from conversations.models import State
from conversations.store import ConversationStore
from bot.schema import upgrade
from ground.database import create_database_engine
from company.models import Customer
from feedback.aftercare import AftercareScheduler, AftercareStore
from feedback.models import AftercareMessage, AftercareKind, AftercareOptOut, AftercareStatus
from feedback.schedule import AftercareSchedule
from feedback.worker import AftercareWorker, payload_for
from handoff.accounts import StaffAccounts
from handoff.escalation import Decision, Reason, TurnSignals, decide
from handoff.models import Role, Ticket
from handoff.tickets import TicketStore
from tests.databases import Clock

LONDON_NIGHTS = AftercareSchedule.parse("3,7,30", "21:00-08:00", "Europe/London")


def session_maker(url: str) -> sessionmaker:
    return sessionmaker(bind=create_database_engine(url), class_=Session, future=True,
                        expire_on_commit=False)


@pytest.fixture
def sessions(database: str) -> Iterator[sessionmaker]:
    upgrade(database)
    made = session_maker(database)
    yield made
    made.kw["bind"].dispose()


class FakeGateway:
    """The gateway's conversation service as the worker sees it: records what it was asked
    to send (from any thread), and refuses while a person has the conversation."""

    def __init__(self, sessions: sessionmaker) -> None:
        self.sent: List[Tuple[str, str]] = []
        self._lock = threading.Lock()
        self._store = ConversationStore(sessions)

    async def send_aftercare(self, conversation_id: str, payload: str) -> Optional[List[Any]]:
        if self._store.conversation(conversation_id).state != State.BOT:
            return None
        await asyncio.sleep(0.005)  # a real send takes a moment: widen the race
        with self._lock:
            self.sent.append((conversation_id, payload))
        return ["a reply"]


class Case:
    """A conversation whose ticket Olga resolved, and the stores around it."""

    def __init__(self, sessions: sessionmaker, clock: Clock,
                 schedule: AftercareSchedule = AftercareSchedule(),
                 vip: bool = False, name: str = "olga", reasons: tuple = (Reason.REQUESTED,),
                 outcome: str = "solved") -> None:
        self.sessions, self.clock = sessions, clock
        self.tickets = TicketStore(sessions, clock=clock, listeners=[AftercareScheduler(schedule)])
        accounts = StaffAccounts(sessions, clock)
        self.conversation = ConversationStore(sessions, clock).create_web_conversation().id
        customer_id = None
        if vip:
            self.staff = accounts.create_user(name, f"{name}-password-1234", Role.ACCOUNT_MANAGER)
            customer_id = new_customer(sessions, name)
            accounts.assign_customer(customer_id, self.staff.id)
            reasons = (*reasons, Reason.VIP)
        else:
            self.staff = accounts.create_user(name, f"{name}-password-1234", Role.AGENT)
        context = {"intents": [{"intent": "greet"}, {"intent": "start_return"}]}
        self.ticket = self.tickets.open(self.conversation, Decision(True, reasons), context, "s",
                                        customer_id).id
        self.tickets.claim(self.ticket, self.staff)
        self.tickets.resolve(self.ticket, self.staff, outcome, "done")

    def rows(self) -> List[AftercareMessage]:
        with self.sessions() as session:
            return list(session.execute(select(AftercareMessage)
                                        .where(AftercareMessage.conversation_id == self.conversation)
                                        .order_by(AftercareMessage.due_at)).scalars())


def new_customer(sessions: sessionmaker, name: str) -> int:
    with sessions.begin() as session:
        customer = Customer(name=name.title(), email=f"{name}@example.com", address_line="1 Quay",
                            city="Bristol", postcode="BS1 4DJ", is_vip=True, tier="vip",
                            created_at=datetime(2026, 1, 1))
        session.add(customer)
        session.flush()
        return customer.id


def worker(sessions: sessionmaker, gateway: FakeGateway, clock: Clock,
           schedule: AftercareSchedule = AftercareSchedule(),
           name: str = "w1", announced: Optional[List[int]] = None) -> AftercareWorker:
    return AftercareWorker(AftercareStore(sessions), gateway, TicketStore(sessions, clock=clock),
                           schedule, (announced if announced is not None else []).append, clock,
                           name=name)


def test_resolving_schedules_day_3_7_and_30(sessions: sessionmaker, clock: Clock) -> None:
    resolved_at = clock.now
    case = Case(sessions, clock)
    rows = case.rows()
    assert [(r.kind, r.due_at - resolved_at, r.status, r.ticket_id) for r in rows] == [
        (AftercareKind.SOLVED_CHECK, timedelta(days=3), AftercareStatus.PENDING, case.ticket),
        (AftercareKind.USAGE_TIPS, timedelta(days=7), AftercareStatus.PENDING, case.ticket),
        (AftercareKind.NPS, timedelta(days=30), AftercareStatus.PENDING, case.ticket),
    ]


def test_a_vip_gets_a_check_in_by_the_account_manager_instead_of_nps(sessions: sessionmaker,
                                                                     clock: Clock) -> None:
    case = Case(sessions, clock, vip=True, name="vera")
    assert [r.kind for r in case.rows()] == [AftercareKind.SOLVED_CHECK, AftercareKind.USAGE_TIPS,
                                            AftercareKind.CHECK_IN]
    gateway, announced = FakeGateway(sessions), []
    clock.now += timedelta(days=30)
    assert asyncio.run(worker(sessions, gateway, clock, announced=announced).tick()) == 3
    assert [payload for _, payload in gateway.sent] == [
        "/EXTERNAL_aftercare_solved_check", '/EXTERNAL_aftercare_tips{"aftercare_topic": "returns"}']
    with sessions() as session:
        task = session.execute(select(Ticket).where(Ticket.id != case.ticket)).scalar_one()
    assert announced == [task.id]
    assert (task.tier, task.assignee_id, task.priority) == (3, case.staff.id, 4)
    assert task.reasons == [Reason.VIP, Reason.CHECK_IN] and task.follow_up_of is None
    # the check-in is a task, not a case: resolving it schedules nothing more
    case.tickets.claim(task.id, case.staff)
    case.tickets.resolve(task.id, case.staff, "solved", "called her, all good")
    assert all(r.ticket_id == case.ticket for r in case.rows())


def test_a_crisis_gets_no_aftercare(sessions: sessionmaker, clock: Clock) -> None:
    """A customer run: a customer in crisis, checked on and safe, was scheduled a day-7 "quick
    tip" and a day-30 survey when the agent closed the case."""
    assert Case(sessions, clock, name="cleo", reasons=(Reason.CRISIS, Reason.REQUESTED)).rows() == []
    assert len(Case(sessions, clock, name="una", reasons=(Reason.COMPLAINT,)).rows()) == 3


def test_a_case_not_put_right_gets_no_tips_or_survey(sessions: sessionmaker, clock: Clock) -> None:
    """A staff run: the day-7 tips and the day-30 recommendation survey were scheduled after a
    case closed as not solved."""
    for outcome, name in (("not_solved", "nell"), ("no_response", "noor")):
        case = Case(sessions, clock, name=name, outcome=outcome)
        assert case.rows() == [], outcome


def test_aftercare_intents_never_hand_a_vip_over() -> None:
    for intent in ("EXTERNAL_aftercare_solved_check", "EXTERNAL_aftercare_tips",
                   "EXTERNAL_aftercare_nps", "EXTERNAL_handoff_resolved", "stop_contact", "nps"):
        assert not decide(TurnSignals(intent=intent, vip=True)).escalate, intent


def test_quiet_hours_wait_until_morning_local_time_in_winter_and_summer(sessions: sessionmaker,
                                                                         clock: Clock) -> None:
    clock.now = datetime(2026, 11, 24, 22, 30)  # London is on UTC in November
    winter = Case(sessions, clock, LONDON_NIGHTS, name="wendy")
    assert winter.rows()[0].due_at == datetime(2026, 11, 28, 8, 0)
    clock.now = datetime(2026, 7, 1, 20, 30)  # 21:30 in London (BST)
    summer = Case(sessions, clock, LONDON_NIGHTS, name="sam")
    assert summer.rows()[0].due_at == datetime(2026, 7, 5, 7, 0)  # 08:00 BST
    clock.now = datetime(2026, 7, 1, 12, 0)
    assert LONDON_NIGHTS.allowed(clock.now) == clock.now
    assert LONDON_NIGHTS.allowed(datetime(2026, 7, 2, 3, 0)) == datetime(2026, 7, 2, 7, 0)


def test_a_due_aftercare_message_waits_through_quiet_hours(sessions: sessionmaker, clock: Clock) -> None:
    case = Case(sessions, clock, LONDON_NIGHTS)
    gateway = FakeGateway(sessions)
    sender = worker(sessions, gateway, clock, LONDON_NIGHTS)
    clock.now = datetime(2026, 11, 27, 23, 0)  # due since 09:00, but it's night now
    assert asyncio.run(sender.tick()) == 0 and gateway.sent == []
    assert sender.pause_seconds() == 3600  # 9 hours until 08:00; it looks again after an hour at most
    clock.now = datetime(2026, 11, 28, 8, 0)
    assert asyncio.run(sender.tick()) == 1
    assert gateway.sent == [(case.conversation, "/EXTERNAL_aftercare_solved_check")]


def test_nothing_is_sent_early_and_each_kind_on_its_day(sessions: sessionmaker, clock: Clock) -> None:
    case = Case(sessions, clock)
    gateway = FakeGateway(sessions)
    sender = worker(sessions, gateway, clock)
    for days, expected in ((2, 0), (3, 1), (6, 0), (7, 1), (29, 0), (30, 1), (60, 0)):
        clock.now = datetime(2026, 11, 24, 9, 0) + timedelta(days=days)
        assert asyncio.run(sender.tick()) == expected, days
    assert [p for _, p in gateway.sent] == [
        "/EXTERNAL_aftercare_solved_check", '/EXTERNAL_aftercare_tips{"aftercare_topic": "returns"}',
        "/EXTERNAL_aftercare_nps"]
    assert {r.status for r in case.rows()} == {AftercareStatus.SENT}


def test_a_conversation_with_a_person_is_not_interrupted(sessions: sessionmaker, clock: Clock) -> None:
    case = Case(sessions, clock)
    case.tickets.open(case.conversation, Decision(True, (Reason.REQUESTED,)), {}, "again")
    gateway = FakeGateway(sessions)
    clock.now += timedelta(days=3)
    assert asyncio.run(worker(sessions, gateway, clock).tick()) == 0
    day3 = case.rows()[0]
    assert day3.status == AftercareStatus.PENDING and day3.due_at == clock.now + timedelta(hours=4)


def test_stop_cancels_and_blocks_later_schedules(sessions: sessionmaker, clock: Clock) -> None:
    case = Case(sessions, clock)
    store = AftercareStore(sessions)
    assert store.opt_out(case.conversation, clock.now) == 3
    assert store.opt_out(case.conversation, clock.now) == 0  # twice is fine
    assert {r.status for r in case.rows()} == {AftercareStatus.CANCELLED}
    clock.now += timedelta(days=40)
    assert asyncio.run(worker(sessions, FakeGateway(sessions), clock).tick()) == 0
    # a later case in the same conversation schedules nothing
    again = case.tickets.open(case.conversation, Decision(True, (Reason.REQUESTED,)), {}, "s").id
    case.tickets.claim(again, case.staff)
    case.tickets.resolve(again, case.staff, "solved", "done")
    assert all(r.ticket_id == case.ticket for r in case.rows())
    with sessions() as session:
        assert session.get(AftercareOptOut, case.conversation) is not None


def test_a_reopened_case_cancels_what_is_pending_and_its_resolution_starts_again(
        sessions: sessionmaker, clock: Clock) -> None:
    case = Case(sessions, clock)
    clock.now += timedelta(days=3)
    reopened = case.tickets.open(case.conversation, Decision(True, (Reason.NOT_SOLVED,)), {}, "s",
                                 follow_up_of=case.ticket).id
    assert {r.status for r in case.rows()} == {AftercareStatus.CANCELLED}
    case.tickets.claim(reopened, case.staff)
    case.tickets.resolve(reopened, case.staff, "solved", "fixed for real")
    pending = [r for r in case.rows() if r.status == AftercareStatus.PENDING]
    assert [(r.ticket_id, r.due_at - clock.now) for r in pending] == [
        (reopened, timedelta(days=3)), (reopened, timedelta(days=7)), (reopened, timedelta(days=30))]


def test_the_schedule_survives_a_restart(database: str, clock: Clock) -> None:
    upgrade(database)
    first = session_maker(database)
    case = Case(first, clock)
    first.kw["bind"].dispose()  # the process stops
    clock.now += timedelta(days=3)
    second = session_maker(database)  # a new process, new stores
    gateway = FakeGateway(second)
    assert asyncio.run(worker(second, gateway, clock).tick()) == 1
    assert gateway.sent == [(case.conversation, "/EXTERNAL_aftercare_solved_check")]
    second.kw["bind"].dispose()


def test_two_workers_send_each_aftercare_message_exactly_once(database: str, clock: Clock) -> None:
    """Two gateway processes: their own engines on one database, ticking at the same time."""
    upgrade(database)
    setup = session_maker(database)
    cases = [Case(setup, clock, name=f"agent{i}") for i in range(6)]
    clock.now += timedelta(days=31)
    gateway = FakeGateway(setup)
    start = threading.Barrier(2)
    sent_by: Counter = Counter()

    def run(name: str) -> None:
        own = session_maker(database)
        sender = worker(own, gateway, clock, name=name)
        start.wait()
        while True:
            sent = asyncio.run(sender.tick())
            sent_by[name] += sent
            if not sent:
                break
        own.kw["bind"].dispose()

    threads = [threading.Thread(target=run, args=(name,)) for name in ("gateway-a", "gateway-b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    expected = {(c.conversation, p) for c in cases for p in (
        "/EXTERNAL_aftercare_solved_check", '/EXTERNAL_aftercare_tips{"aftercare_topic": "returns"}',
        "/EXTERNAL_aftercare_nps")}
    assert sorted(gateway.sent) == sorted(expected)  # all 18, none twice
    assert sum(sent_by.values()) == 18
    with setup() as session:
        assert set(session.execute(select(AftercareMessage.status)).scalars()) == {AftercareStatus.SENT}
    setup.kw["bind"].dispose()


def test_an_expired_lease_is_taken_over(sessions: sessionmaker, clock: Clock) -> None:
    case = Case(sessions, clock)
    clock.now += timedelta(days=3)
    store = AftercareStore(sessions)
    day3 = store.due(clock.now)[0]
    assert store.claim(day3, "crashed", clock.now, timedelta(minutes=5))
    assert not store.claim(day3, "other", clock.now, timedelta(minutes=5))
    gateway = FakeGateway(sessions)
    assert asyncio.run(worker(sessions, gateway, clock).tick()) == 0  # still held
    clock.now += timedelta(minutes=6)
    assert asyncio.run(worker(sessions, gateway, clock, name="w2").tick()) == 1
    assert not store.mark_sent(day3, "crashed", clock.now)  # the old holder changes nothing
    row = case.rows()[0]
    assert (row.status, row.claimed_by) == (AftercareStatus.SENT, "w2")


def test_the_tips_carry_the_topic_of_the_case() -> None:
    from feedback.aftercare import AftercareTask

    task = AftercareTask(1, AftercareKind.USAGE_TIPS, 1, "c", None, "orders", False)
    assert payload_for(task) == '/EXTERNAL_aftercare_tips{"aftercare_topic": "orders"}'
