"""The console's returns desk in a real browser: an agent logs in at the console, opens the
returns desk, sees a return waiting for its parcel, records the arrival ("Parcel arrived"),
sees it among the refunds to pay with its due day but no button to record the refund (that
is operations' work); an operations expert records the refund ("Refund paid") and it leaves
the desk. The desk's refusal is shown in its own words, and the customer's words
are shown as text, never as HTML."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path
from typing import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from company import policies
from company.models import ReturnStatus
from tests.handoff.returns_desk import register_return, start_desk_gateway, stored
from tests.product import RunningProcess, StaffClient

# what a customer could type as their reason for the return
MARKUP = 'Too small <img src=x onerror="document.title=\'pwned\'"> <b>really</b>'


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory,
            demo_database_file: Path) -> Iterator[RunningProcess]:
    process = start_desk_gateway(tmp_path_factory.mktemp("returns-page"), demo_database_file)
    yield process
    process.stop()


@pytest.fixture
def desk(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    yield context.new_page()
    context.close()


def log_in(page: Page, name: str) -> None:
    page.get_by_label("User name").fill(name)
    page.get_by_label("Password").fill(f"{name}-password-0123")
    page.get_by_role("button", name="Log in").click()


def test_an_agent_records_a_parcel_and_operations_its_refund(desk: Page, browser: Browser,
                                                             gateway: RunningProcess) -> None:
    name, ops = f"rio-{uuid.uuid4().hex[:6]}", f"ops-{uuid.uuid4().hex[:6]}"
    admin = StaffClient.admin(gateway.gateway_url)
    admin.add(name, "agent")
    admin.add(ops, "expert", ("operations",))
    registered = register_return(gateway, reason=MARKUP)
    rma = registered.rma

    # logged in at the console, the agent follows its link: the same login holds
    desk.goto(gateway.gateway_url + "/agent")
    log_in(desk, name)
    desk.get_by_role("link", name="Returns desk").click()
    expect(desk).to_have_url(gateway.gateway_url + "/agent/returns")

    parcels = desk.locator("#awaiting-parcel")
    # found by its order number, typed loosely: only its return is listed
    desk.get_by_label("RMA or order").fill(registered.order_number.replace("-", "").lower())
    desk.get_by_role("button", name="Find").click()
    expect(parcels.locator("tbody tr")).to_have_count(1)
    expect(desk.locator("#parcel-count")).to_have_text("1 return.")
    refunds = desk.locator("#awaiting-refund")
    waiting = parcels.locator(f"tr[data-rma='{rma}']")
    expect(waiting).to_have_count(1, timeout=10_000)
    expect(waiting).to_contain_text(registered.order_number)
    expect(waiting).to_contain_text(registered.products[0])
    # the customer's words as text: the markup is shown, not applied
    expect(waiting.locator("td.reason")).to_have_text(MARKUP)
    expect(waiting.locator("img, b")).to_have_count(0)
    assert desk.title() != "pwned"

    # a day before the registration: the desk refuses, in its own words, and nothing moves
    desk.get_by_label("Date").fill((registered.registered_at - timedelta(days=3)).date().isoformat())
    waiting.get_by_role("button", name="Parcel arrived").click()
    expect(desk.locator("#returns-error")).to_have_text(
        f"{rma} was registered on {registered.registered_at:%Y-%m-%d}; "
        "its parcel cannot have arrived before")
    expect(waiting).to_have_count(1)
    assert stored(gateway, rma).received_at is None

    # no date: now
    desk.get_by_label("Date").fill("")
    waiting.get_by_role("button", name="Parcel arrived").click()
    to_pay = refunds.locator(f"tr[data-rma='{rma}']")
    expect(to_pay).to_have_count(1)
    expect(waiting).to_have_count(0)
    expect(desk.locator("#returns-error")).to_have_text("")
    arrived = stored(gateway, rma).received_at
    assert arrived is not None
    due = policies.refund_due(arrived).isoformat()
    expect(to_pay.locator("td.due")).to_have_text(due)
    expect(to_pay.locator("td.arrived")).to_contain_text(name)  # who recorded it
    expect(desk.locator("#returns-done")).to_contain_text(f"{rma}: parcel arrived")
    expect(desk.locator("#returns-done")).to_contain_text(f"refund due by {due}")
    expect(to_pay.locator("td.reason")).to_have_text(MARKUP)
    expect(to_pay.locator("img, b")).to_have_count(0)

    # the agent cannot record the refund: no button, and the page says who does
    expect(to_pay.get_by_role("button", name="Refund paid")).to_have_count(0)
    expect(to_pay.locator("td").last).to_have_text("Operations")
    expect(desk.locator("#refund-who")).to_be_visible()

    context = browser.new_context(viewport={"width": 1366, "height": 900})
    try:
        operations = context.new_page()
        operations.goto(gateway.gateway_url + "/agent/returns")
        log_in(operations, ops)
        expect(operations.locator("#refund-who")).to_be_hidden()
        operations.get_by_label("RMA or order").fill(rma)
        operations.get_by_role("button", name="Find").click()
        paying = operations.locator(f"#awaiting-refund tr[data-rma='{rma}']")
        paying.get_by_role("button", name="Refund paid").click()
        expect(paying).to_have_count(0)
        expect(operations.locator("#returns-done")).to_contain_text(f"{rma}: refund paid")
        expect(operations.locator(f"tr[data-rma='{rma}']")).to_have_count(0)
        assert operations.title() != "pwned"
    finally:
        context.close()
    request = stored(gateway, rma)
    assert request.status == ReturnStatus.REFUNDED and request.refunded_at >= arrived
    assert desk.title() != "pwned"
