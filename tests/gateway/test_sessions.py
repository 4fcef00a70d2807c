"""Sessions that end: a revoked staff session loses its live console within seconds, and a
customer's web token can be revoked (a new conversation from the same browser, or a staff
member ending it) and is refreshed by the page instead of living for a month."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from typing import Any, Callable, Dict

import httpx
import jwt
import pytest
import websockets

from ground.web.auth import issue_customer_token
from tests.product import CustomerClient, RunningProcess, StaffClient

CLOSED_WITHIN = 10.0  # seconds; the gateway checks every 3
DAY = 24 * 3600


def ws_url(product: RunningProcess, path: str) -> str:
    return product.gateway_url.replace("http", "ws") + path


async def closed_for_revocation(socket: Any) -> Dict[str, Any]:
    """Reads until the gateway closes the socket for a revoked session (4401); returns the
    last event. Fails if it stays open for CLOSED_WITHIN seconds."""
    async def read_until_closed() -> Dict[str, Any]:
        last: Dict[str, Any] = {}
        try:
            while True:
                last = json.loads(await socket.recv())
        except websockets.ConnectionClosed as closed:
            assert closed.code == 4401, closed
            return last

    try:
        return await asyncio.wait_for(read_until_closed(), CLOSED_WITHIN)
    except asyncio.TimeoutError:
        raise AssertionError(f"the socket stayed open for {CLOSED_WITHIN} s") from None


async def ready(socket: Any) -> Dict[str, Any]:
    while True:
        event = json.loads(await socket.recv())
        if event["type"] == "ready":
            return event


def new_agent(product: RunningProcess) -> tuple[StaffClient, StaffClient]:
    admin = StaffClient.admin(product.gateway_url)
    return admin, admin.add(f"sid-{uuid.uuid4().hex[:6]}", "agent")


@pytest.mark.parametrize("revoke", ["logout", "deactivation", "password change"])
async def test_a_revoked_staff_session_loses_its_console(product: RunningProcess, revoke: str) -> None:
    admin, agent = new_agent(product)
    url = ws_url(product, f"/api/v1/staff/ws?token={agent.token}")
    async with websockets.connect(url) as socket:
        await ready(socket)
        customer = CustomerClient(product.gateway_url)
        customer.say("I want to talk to a person")  # the console hears of the new ticket
        while json.loads(await socket.recv())["type"] != "ticket":
            pass
        actions: Dict[str, Callable[[], httpx.Response]] = {
            "logout": lambda: agent.http.post("/api/v1/auth/logout"),
            "deactivation": lambda: admin.http.patch(f"/api/v1/staff/{agent.user['id']}",
                                                     json={"active": False}),
            "password change": lambda: admin.http.patch(f"/api/v1/staff/{agent.user['id']}",
                                                        json={"password": "a-new-password-0123"}),
        }
        assert actions[revoke]().status_code == 200
        last = await closed_for_revocation(socket)
        assert last["type"] == "error" and last["status"] == 401


def test_a_new_conversation_from_the_same_browser_ends_the_old_one(product: RunningProcess) -> None:
    old = CustomerClient(product.gateway_url)
    old.say("hello")
    created = httpx.post(f"{product.gateway_url}/api/v1/conversations", headers=old.headers)
    assert created.status_code == 201
    new_headers = {"Authorization": f"Bearer {created.json()['token']}"}
    assert httpx.get(f"{product.gateway_url}/api/v1/conversations/{old.id}/messages",
                     headers=old.headers).status_code == 401
    assert httpx.get(f"{product.gateway_url}/api/v1/conversations/{created.json()['id']}/messages",
                     headers=new_headers).status_code == 200


def test_a_new_conversation_takes_the_old_ones_waiting_ticket_out_of_the_queue(product: RunningProcess) -> None:
    """A staff run: "New conversation" while queued left the ticket waiting, and a person
    worked the case and replied into a chat nobody could read any more."""
    admin = StaffClient.admin(product.gateway_url)
    old = CustomerClient(product.gateway_url)
    assert old.send(text="can I talk to a person please").json()["state"] == "queued"
    assert admin.ticket_of(old.id)["status"] == "queued"
    assert httpx.post(f"{product.gateway_url}/api/v1/conversations", headers=old.headers).status_code == 201
    assert admin.ticket_of(old.id)["status"] == "resolved"
    # one a person has taken stays theirs
    taken = CustomerClient(product.gateway_url)
    assert taken.send(text="can I talk to a person please").json()["state"] == "queued"
    ticket = admin.ticket_of(taken.id)
    assert admin.http.post(f"/api/v1/tickets/{ticket['id']}/claim").status_code == 200
    assert httpx.post(f"{product.gateway_url}/api/v1/conversations", headers=taken.headers).status_code == 201
    assert admin.ticket_of(taken.id)["status"] == "claimed"


async def test_staff_can_end_a_customers_web_session(product: RunningProcess) -> None:
    customer = CustomerClient(product.gateway_url)
    customer.say("I want to talk to a person")
    admin = StaffClient.admin(product.gateway_url)
    ticket = admin.ticket_of(customer.id)
    url = ws_url(product, f"/api/v1/conversations/{customer.id}/ws?token={customer.token}")
    async with websockets.connect(url) as socket:
        await ready(socket)
        ended = admin.http.post(f"/api/v1/tickets/{ticket['id']}/customer-session/revocation")
        assert ended.status_code == 200
        last = await closed_for_revocation(socket)
        assert last["type"] == "error" and last["status"] == 401
    assert customer.send(text="still there?").status_code == 401
    detail = admin.http.get(f"/api/v1/tickets/{ticket['id']}").json()
    assert any("Ended the customer's web chat session" in (event.get("body") or "")
               for event in detail["history"])


def test_only_staff_who_see_the_ticket_can_end_the_session(product: RunningProcess) -> None:
    customer = CustomerClient(product.gateway_url)
    customer.say("I want to talk to a person")
    admin, _ = new_agent(product)
    ticket = admin.ticket_of(customer.id)
    trainer = admin.add(f"tr-{uuid.uuid4().hex[:6]}", "trainer")
    refused = trainer.http.post(f"/api/v1/tickets/{ticket['id']}/customer-session/revocation")
    assert refused.status_code == 403
    assert customer.send(text="still here").status_code == 200


def test_a_token_is_refreshed_for_another_week(product: RunningProcess) -> None:
    customer = CustomerClient(product.gateway_url)
    secret = product.env["GATEWAY_SECRET"]
    three_days_old = issue_customer_token(secret, customer.id, 0, now=time.time() - 3 * DAY)
    fresh = httpx.post(f"{product.gateway_url}/api/v1/conversations/{customer.id}/token",
                       headers={"Authorization": f"Bearer {three_days_old}"})
    assert fresh.status_code == 200
    expiry = jwt.decode(fresh.json()["token"], secret, algorithms=["HS256"])["exp"]
    assert expiry - time.time() > 6.9 * DAY
    headers = {"Authorization": f"Bearer {fresh.json()['token']}"}
    assert httpx.get(f"{product.gateway_url}/api/v1/conversations/{customer.id}/messages",
                     headers=headers).status_code == 200
    other = CustomerClient(product.gateway_url)
    assert httpx.post(f"{product.gateway_url}/api/v1/conversations/{customer.id}/token",
                      headers=other.headers).status_code == 403
