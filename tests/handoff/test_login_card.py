"""The staff pages (the agent console, its returns desk, the service report, the trainer
workbench) in a real browser, on a desktop and on a phone screen: once logged in, the login
card is gone and the page's main content starts within the first screenful. The login
card's `display: grid` once outranked its `hidden` attribute, so it stayed on screen and
pushed the page below it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Dict, Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.product import RunningProcess, StaffClient
from tests.running import page_without_errors

VIEWPORTS: Dict[str, Dict[str, int]] = {
    "desktop": {"width": 1280, "height": 800},
    "phone": {"width": 390, "height": 844},
}


@dataclass(frozen=True)
class StaffPage:
    path: str
    role: str  # who logs in
    loaded: str  # a selector that matches once the page has loaded its content after login
    main: str  # the page's main content, which must start on the first screenful


PAGES: Dict[str, StaffPage] = {
    "console": StaffPage("/agent", "agent", "#live.on", "nav.queue"),
    "report": StaffPage("/reports", "account_manager", "#cards .figure", "#cards .figure >> nth=0"),
    "workbench": StaffPage("/trainer", "trainer", "#inbox[data-filter]", "#inbox"),
    "returns": StaffPage("/agent/returns", "agent", "#parcel-count:not(:empty)", "#awaiting-parcel"),
}


@pytest.fixture(params=list(VIEWPORTS), ids=list(VIEWPORTS))
def screen(request: pytest.FixtureRequest, browser: Browser) -> Iterator[Page]:
    """A fresh page at the viewport's size; the test fails on any JavaScript error in it."""
    with page_without_errors(browser, VIEWPORTS[request.param]) as page:
        yield page


@pytest.mark.parametrize("name", list(PAGES))
def test_after_login_the_page_starts_on_the_first_screenful(
        name: str, screen: Page, product: RunningProcess) -> None:
    staff = PAGES[name]
    username = f"lea-{uuid.uuid4().hex[:6]}"
    StaffClient.admin(product.gateway_url).add(username, staff.role)

    screen.goto(product.gateway_url + staff.path)
    # one login card for every staff page (staff-session.js), titled with the page's title
    expect(screen.get_by_role("heading", name=screen.title())).to_be_visible()
    expect(screen.get_by_role("region", name=screen.title())).to_be_visible()
    screen.get_by_label("User name").fill(username)
    screen.get_by_label("Password").fill(f"{username}-password-0123")
    screen.get_by_role("button", name="Log in").click()
    expect(screen.locator(staff.loaded).first).to_be_attached(timeout=10_000)

    expect(screen.locator("#login")).to_be_hidden()
    box = screen.locator(staff.main).bounding_box()
    assert box is not None, f"{staff.main} is not shown"
    height = screen.viewport_size["height"]  # type: ignore[index]
    assert 0 <= box["y"] < height, (
        f"{staff.main} starts at {box['y']:.0f}px, below the first {height}px")
