"""An agent who takes over sees the customer's confirmed needs sheet beside the ticket in
the console (a real browser) and downloads it as Markdown."""

from __future__ import annotations

import uuid
from typing import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.handoff.test_handoff_flow import log_in
from tests.needs.test_needs_form import press
from tests.product import CustomerClient, RunningProcess, StaffClient


@pytest.fixture
def console(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1366, "height": 900}, accept_downloads=True)
    yield context.new_page()
    context.close()


def test_the_sheet_travels_to_the_console(console: Page, product: RunningProcess) -> None:
    agent = StaffClient.admin(product.gateway_url).add(f"nia-{uuid.uuid4().hex[:6]}", "expert",
                                                       skills=("product",))
    customer = CustomerClient(product.gateway_url)
    customer.say("We need 25 Lumen desk lamps for our Glasgow office by next month because "
                 "the old ones flicker. About 25 people will use them, our budget is £1,500 "
                 "and they should be delivered and installed.")
    # confirmed by a customer with no email address on record: a ticket for the product experts
    reference = press(customer, "/affirm").split("reference is ")[1].split(".")[0]

    log_in(console, product, agent)
    ticket_id = agent.ticket_of(customer.id)["id"]
    console.locator(f"#tickets li[data-ticket-id='{ticket_id}']").click()
    facts = console.locator("#ticket .t-facts")
    expect(facts).to_contain_text(f"Requirement {reference}", timeout=10_000)
    expect(facts).to_contain_text("what: 25 Lumen desk lamps")
    expect(facts).to_contain_text("where: Glasgow")
    with console.expect_download() as download:
        console.get_by_role("button", name=f"Download {reference}.md").click()
    assert download.value.suggested_filename == f"{reference}.md"
    text = open(download.value.path(), encoding="utf-8").read()
    assert text.startswith(f"# Requirement {reference}") and "Glasgow" in text
    # the agent can send the customer's first message to the trainers' review inbox
    first = console.locator("#ticket .transcript li.customer").first
    first.get_by_role("button", name="Flag for training").click()
    expect(first.get_by_role("button")).to_have_text("Flagged for training")
