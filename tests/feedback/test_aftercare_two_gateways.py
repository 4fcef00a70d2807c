"""The 3-7-30 aftercare messages with two gateway processes on one PostgreSQL database and one Redis:
both run their aftercare worker, and a batch that falls due at once reaches each customer
exactly once, sent by one gateway or the other.

The cases are real ones: each customer writes while the assistant is down (so a person gets
the conversation); then the assistant (a stand-in that answers every turn after a moment,
tests/gateway/stub_rasa.py) comes up, and an admin claims and resolves each ticket, which
schedules the aftercare messages. The test makes every day-3 aftercare message due at the same moment, as
the days passing would (the workers read due_at from the database)."""

from __future__ import annotations

from typing import Dict, Iterator, List

import pytest

from feedback.models import AftercareKind, AftercareStatus
from feedback.worker import PAYLOADS
from ground.clock import utcnow
from tests.gateway.stub_rasa import SlowRasa
from tests.product import CustomerClient, StaffClient, free_port
from tests.redis_server import RedisServer, redis  # noqa: F401 (a fixture)
from tests.databases import rows
from tests.two_gateways import Pair, gateway_pid, pids, shared_database, two_gateways
from tests.waiting import wait_until

CASES = 30
# long enough that one worker alone could not send the batch before the other's next poll
ASSISTANT_SECONDS = 0.2
DAY_3 = PAYLOADS[AftercareKind.SOLVED_CHECK]


@pytest.fixture(scope="module")
def assistant() -> Iterator[SlowRasa]:
    """The stand-in Rasa, not started yet: the gateways find the assistant down."""
    rasa = SlowRasa(delay=ASSISTANT_SECONDS)
    yield rasa
    rasa.stop()


@pytest.fixture(scope="module")
def database(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    return shared_database("postgresql", request, tmp_path_factory.mktemp("aftercare-db"))


@pytest.fixture(scope="module")
def gateways(tmp_path_factory: pytest.TempPathFactory, redis: RedisServer, assistant: SlowRasa,
             database: str) -> Iterator[Pair]:
    with two_gateways(tmp_path_factory.mktemp("aftercare"), DATABASE_URL=database,
                      REDIS_URL=redis.url, RASA_PORT=str(assistant.port),
                      ACTION_PORT=str(free_port()), AFTERCARE_QUIET_HOURS="off",
                      AFTERCARE_POLL_SECONDS="0.2") as pair:
        yield pair


def handed_over(gateways: Pair, count: int) -> List[CustomerClient]:
    """Customers (half on each gateway) who wrote while the assistant was down: a person has
    each conversation."""
    customers = []
    for n in range(count):
        customer = CustomerClient(gateways[n % 2].gateway_url)
        assert customer.send(text="my parcel never arrived").status_code == 200
        customers.append(customer)
    return customers


def resolve(gateways: Pair, customers: List[CustomerClient]) -> List[int]:
    """An admin claims and resolves each customer's ticket, through the gateway the customer
    does not use; the tickets. (Resolving gives the conversation back to the assistant,
    which must be up for that.)"""
    admins = [StaffClient.admin(gateway.gateway_url) for gateway in gateways]
    tickets = []
    for n, customer in enumerate(customers):
        staff = admins[(n + 1) % 2]
        ticket = staff.ticket_of(customer.id)["id"]
        assert staff.http.post(f"/api/v1/tickets/{ticket}/claim").status_code == 200
        assert staff.http.post(f"/api/v1/tickets/{ticket}/resolve",
                               json={"outcome": "solved", "note": "sorted"}).status_code == 200
        tickets.append(ticket)
    return tickets


def aftercare_messages(database: str, tickets: List[int]) -> List[Dict[str, object]]:
    return [row for row in rows(database, "SELECT ticket_id, kind, status, claimed_by "
                                          "FROM aftercare_messages ORDER BY id")
            if row["ticket_id"] in tickets]


def day_3(database: str, tickets: List[int]) -> List[Dict[str, object]]:
    return [row for row in aftercare_messages(database, tickets) if row["kind"] == AftercareKind.SOLVED_CHECK]


def test_a_batch_of_due_aftercare_messages_goes_out_once_each_from_both_gateways(
        gateways: Pair, assistant: SlowRasa, database: str) -> None:
    customers = handed_over(gateways, CASES)
    assistant.start()
    tickets = resolve(gateways, customers)
    scheduled = aftercare_messages(database, tickets)
    assert len(scheduled) == 3 * CASES
    assert {row["status"] for row in scheduled} == {AftercareStatus.PENDING}
    assert [turn for turn in assistant.turns() if turn[1] == DAY_3] == []

    rows(database, "UPDATE aftercare_messages SET due_at = :now WHERE kind = :kind",
         now=utcnow(), kind=AftercareKind.SOLVED_CHECK)
    wait_until(lambda: all(row["status"] == AftercareStatus.SENT
                           for row in day_3(database, tickets)), 120,
               lambda: f"not all sent: {[row['status'] for row in day_3(database, tickets)]}")

    # what reached the assistant, and through it the customers: one day-3 turn each
    asked = sorted(sender for sender, message in assistant.turns() if message == DAY_3)
    assert asked == sorted(customer.id for customer in customers)
    for customer in customers:
        said = [message["text"] for message in customer.transcript()["messages"]
                if message["author"] == "bot" and DAY_3 in (message["text"] or "")]
        assert said == [f"answer to {DAY_3}"], (customer.id, said)
    # the later ones wait for their day
    later = [row for row in aftercare_messages(database, tickets) if row["kind"] != AftercareKind.SOLVED_CHECK]
    assert len(later) == 2 * CASES
    assert {row["status"] for row in later} == {AftercareStatus.PENDING}
    # both gateways' workers sent some
    senders = {gateway_pid(str(row["claimed_by"])) for row in day_3(database, tickets)}
    assert senders == pids(gateways)
