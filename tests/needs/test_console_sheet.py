"""An agent who takes over sees the customer's confirmed needs sheet beside the ticket in
the console (a real browser) and downloads it as Markdown."""

from __future__ import annotations

import re
import uuid
from typing import Iterator

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.handoff.test_handoff_flow import log_in
from tests.needs.test_needs_form import press
from tests.needs.test_requirements_api import identified_sheet
from tests.product import CustomerClient, RunningProcess, StaffClient


@pytest.fixture
def console(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1366, "height": 900}, accept_downloads=True)
    yield context.new_page()
    context.close()


def ticket_facts(console: Page, product: RunningProcess, agent: StaffClient, customer: CustomerClient,
                 reference: str) -> Locator:
    """The facts beside the customer's ticket in the agent's console, once they show the sheet."""
    log_in(console, product, agent)
    ticket_id = agent.ticket_of(customer.id)["id"]
    console.locator(f"#tickets li[data-ticket-id='{ticket_id}']").click()
    facts = console.locator("#ticket .t-facts")
    expect(facts).to_contain_text(f"Requirement {reference}", timeout=10_000)
    return facts


def test_the_sheet_travels_to_the_console(console: Page, product: RunningProcess) -> None:
    agent = StaffClient.admin(product.gateway_url).add(f"nia-{uuid.uuid4().hex[:6]}", "expert",
                                                       skills=("product",))
    customer = CustomerClient(product.gateway_url)
    customer.say("We need 25 Lumen desk lamps for our Glasgow office by next month because "
                 "the old ones flicker. About 25 people will use them, our budget is £1,500 "
                 "and they should be delivered and installed.")
    # confirmed by a customer with no email address on record: a ticket for the product experts
    reference = press(customer, "/affirm").split("reference is ")[1].split(".")[0]

    facts = ticket_facts(console, product, agent, customer, reference)
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


def test_what_the_customer_added_shows_with_the_sheet(console: Page, product: RunningProcess) -> None:
    agent = StaffClient.admin(product.gateway_url).add(f"noa-{uuid.uuid4().hex[:6]}", "agent")
    customer = identified_sheet(product, "12 Orbit Smart Speakers")
    reference = re.findall(r"REQ-\d{5}", " ".join(m["text"] or "" for m in customer.transcript()["messages"]))[-1]
    added = customer.say(f"can I add something to {reference}? <b>we also want</b> 250 coasters")
    assert f"I've added that to {reference}" in added, added
    customer.say("I'd like to talk to a person please")

    facts = ticket_facts(console, product, agent, customer, reference)
    expect(facts).to_contain_text("what: 12 Orbit Smart Speakers")
    # the customer's words as text, never as HTML
    expect(facts).to_contain_text(f"can I add something to {reference}? <b>we also want</b> 250 coasters")
    assert facts.locator("b").count() == 0
