"""The agent console (handoff/static/agent.js) in a real browser: a session that ends
elsewhere (a logout from another tab, a deactivation, a password change) logs the console
out within seconds, takes the customer data off the page and stops its live socket. It
once reset its back-off when a socket opened, before the server refused it (4401), and
reconnected about once a second forever with the queue still on the page."""

from __future__ import annotations

import time
import uuid
from typing import Iterator, List

import httpx
import pytest
from playwright.sync_api import Browser, Page, WebSocket, WebSocketRoute, expect

from tests.product import CustomerClient, RunningProcess, StaffClient
from tests.running import page_without_errors


@pytest.fixture
def console(browser: Browser) -> Iterator[Page]:
    """A fresh console page; the test fails on any JavaScript error in it."""
    with page_without_errors(browser, {"width": 1366, "height": 800}) as page:
        yield page


def test_a_session_revoked_elsewhere_logs_the_console_out_and_stops_reconnecting(
        console: Page, product: RunningProcess) -> None:
    username = f"cagent-{uuid.uuid4().hex[:6]}"
    agent = StaffClient.admin(product.gateway_url).add(username, "agent")
    customer = CustomerClient(product.gateway_url)
    assert customer.send(text="I want to speak to a human please").json()["state"] == "queued"
    secret = f"my door code is {uuid.uuid4().hex[:8]}"
    assert customer.send(text=secret).status_code == 200
    ticket = agent.ticket_of(customer.id)["id"]

    sockets: List[WebSocket] = []
    console.on("websocket", lambda socket: sockets.append(socket))
    console.goto(product.gateway_url + "/agent")
    console.get_by_label("User name").fill(username)
    console.get_by_label("Password").fill(f"{username}-password-0123")
    console.get_by_role("button", name="Log in").click()
    expect(console.locator("#live")).to_have_text("live", timeout=10_000)
    console.locator(f"#tickets li[data-ticket-id='{ticket}']").click()
    expect(console.locator(".transcript")).to_contain_text(secret)
    token = console.evaluate("sessionStorage.getItem('caredesk-staff-token')")
    assert token

    # the same session ends by another route
    ended = httpx.post(f"{product.gateway_url}/api/v1/auth/logout", timeout=30,
                       headers={"Authorization": f"Bearer {token}"})
    assert ended.status_code == 200

    expect(console.locator("#login-form")).to_be_visible(timeout=8_000)
    expect(console.locator("#app")).to_be_hidden()
    assert console.evaluate("sessionStorage.getItem('caredesk-staff-token')") is None
    assert secret not in console.content()
    assert console.locator("#tickets li").count() == 0
    # and it does not knock again: the one socket it had, closed by the server, no other
    console.wait_for_timeout(5_000)
    assert len(sockets) == 1, [s.url for s in sockets]
    assert sockets[0].is_closed()


def test_the_back_off_grows_until_the_server_accepts_the_socket(
        console: Page, product: RunningProcess) -> None:
    """A socket that opens and is closed before the server's "ready" (refused, or a gateway
    on its way down) is no connection: the console waits 1, 2, 4 s ... between attempts
    instead of starting again at 1 s each time one opens."""
    username = f"bea-{uuid.uuid4().hex[:6]}"
    StaffClient.admin(product.gateway_url).add(username, "agent")
    attempts: List[float] = []
    opened: List[WebSocketRoute] = []

    def accept(socket: WebSocketRoute) -> None:  # opens; closed a moment later, without a word
        attempts.append(time.monotonic())
        opened.append(socket)

    console.route_web_socket("**/api/v1/staff/ws**", accept)
    console.goto(product.gateway_url + "/agent")
    console.get_by_label("User name").fill(username)
    console.get_by_label("Password").fill(f"{username}-password-0123")
    console.get_by_role("button", name="Log in").click()
    expect(console.locator("#who")).not_to_be_empty()
    deadline = time.monotonic() + 6.5
    while time.monotonic() < deadline:
        console.wait_for_timeout(200)
        while opened:
            opened.pop().close(code=1011, reason="going away")
    timeline = [round(t - attempts[0], 1) for t in attempts]
    # at 0, 1.2 and 3.4 s (the next at 7.6 s); starting again at 1 s each time makes 5 or more
    assert 2 <= len(attempts) <= 4, timeline
    assert attempts[-1] - attempts[-2] > 1.5, timeline



def test_the_reply_box_counts_to_its_limit_and_a_transfer_reads_as_done(console: Page,
                                                                         product: RunningProcess) -> None:
    """A staff run: 4,100 characters pasted into the reply were cut at 4,000 without a word,
    and after "Transfer" the ticket pane showed only a red "this ticket is routed to another
    tier or person", read as a failed transfer."""
    from tests.handoff.test_handoff_flow import log_in

    agent = StaffClient.admin(product.gateway_url).add(f"tia-{uuid.uuid4().hex[:6]}", "agent")
    customer = CustomerClient(product.gateway_url)
    assert customer.send(text="can I speak to a human please").json()["state"] == "queued"
    ticket_id = agent.ticket_of(customer.id)["id"]
    assert agent.http.post(f"/api/v1/tickets/{ticket_id}/claim").status_code == 200
    log_in(console, product, agent)
    console.locator(f"#tickets li[data-ticket-id='{ticket_id}']").click()
    reply = console.get_by_label("Reply text")
    reply.fill("a" * 4100)
    expect(reply).to_have_value("a" * 4000)
    expect(console.locator(".t-reply-count")).to_contain_text("4000/4000: the limit")
    reply.fill("hello")
    expect(console.locator(".t-reply-count")).to_have_text("5/4000")
    # answered: the queue and the ticket show the next promise, not "reply due" (a staff run)
    console.get_by_role("button", name="Send reply").click()
    item = console.locator(f"#tickets li[data-ticket-id='{ticket_id}']")
    expect(item).to_contain_text("resolve by", timeout=10_000)
    expect(item).not_to_contain_text("reply due")
    expect(console.locator("#ticket .t-facts")).to_contain_text("First reply")
    expect(console.locator("#ticket .t-facts")).not_to_contain_text("First reply due")
    console.locator(".t-transfer-tier").select_option("2:product")
    console.get_by_label("Transfer note").fill("needs a product expert")
    console.get_by_role("button", name="Transfer").click()
    expect(console.locator("#ticket .t-done")).to_contain_text("Transferred", timeout=10_000)
    expect(console.locator("#ticket p.error")).to_have_count(0)
    assert agent.http.get(f"/api/v1/tickets/{ticket_id}").status_code == 403
