"""The returns desk's API on a running gateway: staff who handle tickets (not trainers) list
the returns waiting for their parcel and for their refund, and record a parcel's arrival and
a refund paid as `make returns` does; the desk's own refusals come back as 404 and 409, bad
input as 400, and every call is authenticated and rate-limited per user."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

import httpx
import pytest

from company import policies
from company.models import ReturnStatus
from ground.clock import utcnow
from tests.handoff.returns_desk import (
    STAFF_REQUESTS_PER_MINUTE,
    register_return,
    start_desk_gateway,
    stored,
)
from tests.product import CustomerClient, RunningProcess, StaffClient

LISTING = "/api/v1/returns"


def received(rma: str) -> str:
    return f"/api/v1/returns/{rma}/received"


def refunded(rma: str) -> str:
    return f"/api/v1/returns/{rma}/refunded"


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory,
            demo_database_file: Path) -> Iterator[RunningProcess]:
    process = start_desk_gateway(tmp_path_factory.mktemp("returns-desk"), demo_database_file)
    yield process
    process.stop()


@pytest.fixture(scope="module")
def team(gateway: RunningProcess) -> Dict[str, StaffClient]:
    admin = StaffClient.admin(gateway.gateway_url)
    return {"admin": admin,
            **{role: admin.add(f"{role.replace('_', '')}-{uuid.uuid4().hex[:6]}", role, skills)
               for role, skills in (("agent", ()), ("expert", ("technical",)),
                                    ("account_manager", ()), ("trainer", ()))},
            # an expert with the operations skill: who may record a refund as paid
            "operations": admin.add(f"ops-{uuid.uuid4().hex[:6]}", "expert", ("operations",))}


def listing(staff: StaffClient, **params: Any) -> Dict[str, Any]:
    response = staff.http.get(LISTING, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def entry(listed: Dict[str, Any], part: str, rma: str) -> Optional[Dict[str, Any]]:
    return next((e for e in listed[part] if e["rma"] == rma), None)


def parsed(iso: str) -> datetime:
    return datetime.fromisoformat(iso.removesuffix("Z"))


def test_without_a_staff_login_nothing_is_reachable(gateway: RunningProcess) -> None:
    rma = register_return(gateway).rma
    customer = CustomerClient(gateway.gateway_url)
    http = httpx.Client(base_url=gateway.gateway_url, timeout=30)
    for method, path in (("GET", LISTING), ("POST", received(rma)), ("POST", refunded(rma))):
        for headers in ({}, customer.headers, {"Authorization": "Bearer forged"}):
            response = http.request(method, path, json={}, headers=headers)
            assert response.status_code == 401, (path, headers, response.text)
            assert response.json()["error"]["code"] == "unauthorized"
    assert stored(gateway, rma).received_at is None


def test_staff_who_handle_tickets_may_trainers_may_not(gateway: RunningProcess,
                                                      team: Dict[str, StaffClient]) -> None:
    rma = register_return(gateway).rma
    trainer = team["trainer"]
    for method, path in (("GET", LISTING), ("POST", received(rma)), ("POST", refunded(rma))):
        response = trainer.http.request(method, path, json={})
        assert response.status_code == 403, (path, response.text)
        assert response.json()["error"]["code"] == "forbidden"
    assert stored(gateway, rma).received_at is None
    for role in ("agent", "expert", "account_manager", "operations", "admin"):
        assert entry(listing(team[role]), "awaiting_parcel", rma) is not None, role
    # an expert records the arrival, an operations expert the refund
    assert team["expert"].http.post(received(rma)).status_code == 200
    assert team["operations"].http.post(refunded(rma)).status_code == 200


def test_only_operations_experts_and_admins_record_a_refund_as_paid(
        gateway: RunningProcess, team: Dict[str, StaffClient]) -> None:
    # the assistant tells the customer a refund is paid from this record: an agent chased
    # by a customer must not be able to make it true with a button
    rma = register_return(gateway).rma
    assert team["agent"].http.post(received(rma)).status_code == 200
    for role in ("agent", "expert", "account_manager"):
        refused = team[role].http.post(refunded(rma))
        assert refused.status_code == 403, (role, refused.text)
        assert refused.json()["error"] == {
            "status": 403, "code": "forbidden",
            "message": "only operations experts and admins record a refund as paid"}
        assert listing(team[role])["may_record_refunds"] is False, role
    # refused before anything else is looked at: no telling which returns exist
    for path, body in ((refunded("RMA-000000"), {}), (refunded(rma), {"at": "yesterday"})):
        assert team["agent"].http.post(path, json=body).status_code == 403, path
    request = stored(gateway, rma)
    assert request.status == ReturnStatus.REQUESTED and request.refunded_at is None
    assert entry(listing(team["agent"]), "awaiting_refund", rma) is not None
    for role in ("operations", "admin"):
        assert listing(team[role])["may_record_refunds"] is True, role
    assert team["admin"].http.post(refunded(rma)).status_code == 200
    assert stored(gateway, rma).refunded_by == team["admin"].user["username"]


def test_a_return_moves_from_the_parcel_list_to_the_refund_list_and_off_the_desk(
        gateway: RunningProcess, team: Dict[str, StaffClient]) -> None:
    agent = team["agent"]
    registered = register_return(gateway, reason="The sleeves are too long")
    rma = registered.rma

    waiting = entry(listing(agent), "awaiting_parcel", rma)
    assert waiting is not None and entry(listing(agent), "awaiting_refund", rma) is None
    assert waiting["order_number"] == registered.order_number
    assert tuple(waiting["products"]) == registered.products and registered.products
    assert waiting["reason"] == "The sleeves are too long"
    assert parsed(waiting["registered_at"]) == registered.registered_at
    assert (waiting["received_at"], waiting["refund_due"], waiting["overdue"],
            waiting["stage"]) == (None, None, False, "awaiting_parcel")

    # the parcel arrives (now; the reference as typed, in lower case)
    before = utcnow()
    answer = agent.http.post(received(rma.lower()))
    assert answer.status_code == 200, answer.text
    shown = answer.json()["return"]
    arrived = parsed(shown["received_at"])
    assert before <= arrived <= utcnow() and shown["stage"] == "awaiting_refund"
    assert shown["refund_due"] == policies.refund_due(arrived).isoformat()
    listed = listing(agent)
    assert entry(listed, "awaiting_parcel", rma) is None
    assert entry(listed, "awaiting_refund", rma) == shown
    assert stored(gateway, rma).received_at == arrived
    # who recorded it is kept, and shown
    assert stored(gateway, rma).received_by == agent.user["username"] == shown["received_by"]

    # recorded again, later: the first arrival stays, and the answer says so
    again = agent.http.post(received(rma), json={"at": utcnow().date().isoformat()})
    assert again.status_code == 200 and again.json()["return"] == shown

    # the refund is paid (operations records it): off the desk, and the refund answer reads it as paid
    operations = team["operations"]
    paid = operations.http.post(refunded(rma), json={"at": None})
    assert paid.status_code == 200, paid.text
    done = paid.json()["return"]
    assert done["stage"] == "refunded" and parsed(done["refunded_at"]) >= arrived
    listed = listing(agent)
    assert entry(listed, "awaiting_parcel", rma) is None
    assert entry(listed, "awaiting_refund", rma) is None
    request = stored(gateway, rma)
    assert request.status == ReturnStatus.REFUNDED and request.refunded_at == parsed(done["refunded_at"])
    assert request.refunded_by == operations.user["username"] == done["refunded_by"]
    assert operations.http.post(refunded(rma)).json()["return"] == done  # again: the first stays


def test_a_refund_past_its_due_day_is_overdue(gateway: RunningProcess,
                                             team: Dict[str, StaffClient]) -> None:
    agent = team["agent"]
    rma = register_return(gateway, registered_at=utcnow() - timedelta(days=28)).rma
    # a date and time with its zone, stored in UTC
    day = (utcnow() - timedelta(days=27)).date()
    answer = agent.http.post(received(rma), json={"at": f"{day.isoformat()}T10:30+01:00"})
    assert answer.status_code == 200, answer.text
    assert stored(gateway, rma).received_at == datetime(day.year, day.month, day.day, 9, 30)
    waiting = entry(listing(agent), "awaiting_refund", rma)
    assert waiting["refund_due"] == policies.refund_due(datetime(day.year, day.month, day.day)).isoformat()
    assert date.fromisoformat(waiting["refund_due"]) < utcnow().date()
    assert waiting["overdue"] is True
    # the one due first comes first: a refund overdue by weeks is before any due later
    due_days = [e["refund_due"] for e in listing(agent)["awaiting_refund"]]
    assert due_days == sorted(due_days)


def test_unknown_and_out_of_order_are_refused_with_the_desks_reason(
        gateway: RunningProcess, team: Dict[str, StaffClient]) -> None:
    agent, operations = team["agent"], team["operations"]
    registered = register_return(gateway, registered_at=utcnow() - timedelta(days=3))
    rma = registered.rma

    for path in (received("RMA-000000"), refunded("RMA-000000"), received("x" * 200)):
        unknown = operations.http.post(path)
        assert unknown.status_code == 404, (path, unknown.text)
        assert unknown.json()["error"]["code"] == "not_found"

    early = operations.http.post(refunded(rma))
    assert early.status_code == 409, early.text
    assert early.json()["error"] == {
        "status": 409, "code": "conflict",
        "message": f"{rma}'s parcel has not been recorded as received"}
    before_registration = (registered.registered_at - timedelta(days=2)).date().isoformat()
    refused = agent.http.post(received(rma), json={"at": before_registration})
    assert refused.status_code == 409
    assert "cannot have arrived before" in refused.json()["error"]["message"]
    assert stored(gateway, rma).received_at is None

    yesterday = (utcnow() - timedelta(days=1)).replace(microsecond=0)
    assert agent.http.post(received(rma), json={"at": yesterday.isoformat()}).status_code == 200
    too_soon = operations.http.post(refunded(rma), json={"at": (yesterday - timedelta(hours=1)).isoformat()})
    assert too_soon.status_code == 409
    assert "cannot have been refunded before" in too_soon.json()["error"]["message"]
    request = stored(gateway, rma)
    assert request.status == ReturnStatus.REQUESTED and request.refunded_at is None


def test_bad_input_is_refused_with_400_and_records_nothing(
        gateway: RunningProcess, team: Dict[str, StaffClient]) -> None:
    agent = team["agent"]
    rma = register_return(gateway).rma
    tomorrow = (utcnow() + timedelta(days=1)).date().isoformat()
    in_an_hour = (utcnow() + timedelta(hours=1)).replace(microsecond=0).isoformat() + "Z"
    bodies: List[Dict[str, Any]] = [
        {"json": {"at": tomorrow}},           # the future
        {"json": {"at": in_an_hour}},
        {"json": {"at": "yesterday"}},        # no ISO date
        {"json": {"at": "2026-13-40"}},
        {"json": {"at": " 2026-01-05"}},
        {"json": {"at": ""}},
        {"json": {"at": 20260105}},
        {"json": ["at"]},                     # JSON, but not an object
        {"json": "2026-01-05"},
        {"content": b"{not json", "headers": {"Content-Type": "application/json"}},
    ]
    for path in (received(rma), refunded(rma)):
        for body in bodies:
            response = team["operations"].http.post(path, **body)
            assert response.status_code == 400, (path, body, response.text)
            assert response.json()["error"]["code"] == "bad_request"
            assert response.json()["error"]["message"]
    assert "in the future" in agent.http.post(received(rma), json={"at": tomorrow}).json()["error"]["message"]
    for limit in ("0", "201", "ten", "-1", "1.5"):
        response = agent.http.get(LISTING, params={"limit": limit})
        assert response.status_code == 400, (limit, response.text)
    assert stored(gateway, rma).received_at is None
    assert entry(listing(agent), "awaiting_parcel", rma) is not None


def test_the_lists_are_capped_and_say_how_many_there_are(
        gateway: RunningProcess, team: Dict[str, StaffClient]) -> None:
    agent = team["agent"]
    newest = [register_return(gateway).rma for _ in range(2)][-1]
    listed = listing(agent, limit=1)
    assert listed["limit"] == 1 and len(listed["awaiting_parcel"]) == 1
    assert listed["awaiting_parcel"][0]["rma"] == newest  # the newest first
    assert listed["totals"]["awaiting_parcel"] >= 2
    assert listed["totals"]["awaiting_parcel"] == len(listing(agent, limit=200)["awaiting_parcel"])


def test_a_search_finds_the_returns_of_one_rma_or_order(
        gateway: RunningProcess, team: Dict[str, StaffClient]) -> None:
    agent = team["agent"]
    one, other = register_return(gateway), register_return(gateway)
    digits = one.order_number.split("-")[1]
    for typed in (one.rma, one.rma.lower(), one.order_number, f"hg{digits}", digits):
        listed = listing(agent, q=typed)
        assert [e["rma"] for e in listed["awaiting_parcel"]] == [one.rma], typed
        assert listed["totals"] == {"awaiting_parcel": 1, "awaiting_refund": 0}, typed
    nothing = listing(agent, q="RMA-000000")
    assert nothing["awaiting_parcel"] == [] and nothing["totals"]["awaiting_parcel"] == 0
    # a blank search is no search
    assert {one.rma, other.rma} <= {e["rma"] for e in listing(agent, q=" ")["awaiting_parcel"]}
    response = agent.http.get(LISTING, params={"q": "x" * 41})
    assert response.status_code == 400, response.text


def test_every_call_counts_against_the_members_rate_limit(
        gateway: RunningProcess, team: Dict[str, StaffClient]) -> None:
    busy = team["admin"].add(f"busy-{uuid.uuid4().hex[:6]}", "agent")
    rma = register_return(gateway).rma
    statuses = [busy.http.get(LISTING).status_code for _ in range(STAFF_REQUESTS_PER_MINUTE)]
    assert statuses == [200] * STAFF_REQUESTS_PER_MINUTE
    for method, path in (("GET", LISTING), ("POST", received(rma)), ("POST", refunded(rma))):
        refused = busy.http.request(method, path, json={})
        assert refused.status_code == 429, (path, refused.text)
        assert int(refused.headers["Retry-After"]) >= 1
    assert stored(gateway, rma).received_at is None
    # per member: a colleague is not slowed down
    assert team["agent"].http.get(LISTING).status_code == 200
