"""Two gateway processes behind one load balancer: one database, one Redis (REDIS_URL). A
customer's message arriving through gateway A appears live on an agent console connected to
gateway B, the agent's reply sent through B reaches the customer's WebSocket on A, a session
ended on one gateway (a logout, or an admin's deactivation or password change) is ended on the
other (sessions are in the database), and rate limits and
the slowing of failed logins count over both (in Redis).

Rasa is not running: the customer's first message finds the assistant down, which hands the
conversation to a person at once (tests/gateway/test_assistant_down.py); from then on the
customer's messages go to the staff, which is what this test is about."""

from __future__ import annotations

import asyncio
import json
from typing import Any, Dict, Iterator, Tuple

import httpx
import pytest
import websockets

from tests.gateway.test_sessions import closed_for_revocation, ready
from tests.product import CustomerClient, RunningProcess, StaffClient, free_port
from tests.redis_server import RedisServer, redis  # noqa: F401 (a fixture)
from tests.two_gateways import Pair, two_gateways

LIVE_WITHIN = 10.0  # seconds


@pytest.fixture(scope="module")
def gateways(tmp_path_factory: pytest.TempPathFactory, redis: RedisServer) -> Iterator[Pair]:
    # Rasa and the action server are nowhere; four messages per conversation per minute
    with two_gateways(tmp_path_factory.mktemp("two-gateways"), REDIS_URL=redis.url,
                      RASA_PORT=str(free_port()), ACTION_PORT=str(free_port()),
                      MESSAGE_RATE_PER_MINUTE="4") as pair:
        yield pair


def ws_url(gateway: RunningProcess, path: str) -> str:
    return gateway.gateway_url.replace("http", "ws") + path


async def next_of(socket: Any, kind: str) -> Dict[str, Any]:
    """The next event of that type on the socket (others are skipped)."""
    async def read() -> Dict[str, Any]:
        while True:
            event = json.loads(await socket.recv())
            if event["type"] == kind:
                return event
    return await asyncio.wait_for(read(), LIVE_WITHIN)


def send_through(gateway: RunningProcess, customer: CustomerClient, text: str) -> httpx.Response:
    return customer.http.post(f"{gateway.gateway_url}/api/v1/conversations/{customer.id}/messages",
                              json={"text": text}, headers=customer.headers)


def handed_over(gateway: RunningProcess) -> CustomerClient:
    """A customer whose conversation a person is in charge of (the assistant is down)."""
    customer = CustomerClient(gateway.gateway_url)
    assert customer.send(text="my parcel never arrived").status_code == 200
    return customer


async def test_a_customer_on_one_gateway_and_an_agent_on_the_other_hear_each_other(
        gateways: Tuple[RunningProcess, RunningProcess]) -> None:
    a, b = gateways
    admin = StaffClient.admin(b.gateway_url)
    async with websockets.connect(ws_url(b, f"/api/v1/staff/ws?token={admin.token}")) as console:
        await ready(console)
        customer = handed_over(a)
        # the new ticket, opened on A, is announced on B's console
        ticket = admin.ticket_of(customer.id)["id"]
        assert (await next_of(console, "ticket"))["ticket_id"] == ticket

        # the customer writes through A: B's console shows it live
        assert customer.send(text="is anyone there?").status_code == 200
        heard = await next_of(console, "message")
        assert heard["conversation_id"] == customer.id and heard["ticket_id"] == ticket
        assert heard["message"]["text"] == "is anyone there?"
        assert heard["message"]["author"] == "customer"

        # the agent answers through B: the customer's WebSocket on A gets it live
        async with websockets.connect(customer.live_url(a.gateway_url)) as page:
            await ready(page)
            assert admin.http.post(f"/api/v1/tickets/{ticket}/claim").status_code == 200
            assert (await next_of(page, "state"))["state"] == "agent"
            sent = admin.http.post(f"/api/v1/tickets/{ticket}/messages",
                                   json={"text": "Hello, I am looking into it now"})
            assert sent.status_code == 201
            while True:
                message = (await next_of(page, "message"))["message"]
                if message["author"] == "agent":
                    break
            assert message["text"] == "Hello, I am looking into it now"
            assert message["id"] == sent.json()["message"]["id"]


async def test_a_session_ended_on_one_gateway_ends_on_the_other(
        gateways: Tuple[RunningProcess, RunningProcess]) -> None:
    a, b = gateways
    admin = StaffClient.admin(a.gateway_url)
    agent = admin.add("two-gw-agent", "agent")
    async with websockets.connect(ws_url(b, f"/api/v1/staff/ws?token={agent.token}")) as console:
        await ready(console)
        assert agent.http.post("/api/v1/auth/logout").status_code == 200  # through A
        last = await closed_for_revocation(console)
        assert last["type"] == "error" and last["status"] == 401
    refused = httpx.get(f"{b.gateway_url}/api/v1/me",
                        headers={"Authorization": f"Bearer {agent.token}"})
    assert refused.status_code == 401


@pytest.mark.parametrize("revoke", ["deactivation", "password change"])
async def test_a_session_an_admin_revokes_on_one_gateway_ends_on_the_other(
        gateways: Pair, revoke: str) -> None:
    a, b = gateways
    admin = StaffClient.admin(a.gateway_url)
    agent = admin.add(f"two-gw-{revoke.split()[0]}", "agent")
    me = f"{b.gateway_url}/api/v1/me"
    bearer = {"Authorization": f"Bearer {agent.token}"}
    assert httpx.get(me, headers=bearer).status_code == 200
    change = {"deactivation": {"active": False},
              "password change": {"password": "a-new-password-0123"}}[revoke]
    async with websockets.connect(ws_url(b, f"/api/v1/staff/ws?token={agent.token}")) as console:
        await ready(console)
        # the admin works through A
        assert admin.http.patch(f"/api/v1/staff/{agent.user['id']}", json=change).status_code == 200
        last = await closed_for_revocation(console)
        assert last["type"] == "error" and last["status"] == 401
    assert httpx.get(me, headers=bearer).status_code == 401


def test_a_conversations_message_limit_counts_on_both_gateways(
        gateways: Tuple[RunningProcess, RunningProcess]) -> None:
    a, b = gateways
    customer = CustomerClient(a.gateway_url)
    statuses = [send_through(gateway, customer, f"message {n}").status_code
                for n, gateway in enumerate((a, b, a, b, a))]
    assert statuses == [200, 200, 200, 200, 429]
    assert send_through(b, customer, "again").status_code == 429


def test_failed_logins_slow_down_on_both_gateways(
        gateways: Tuple[RunningProcess, RunningProcess]) -> None:
    a, b = gateways
    wrong = {"username": "two-gw-guessed", "password": "not-the-password-0123"}
    statuses = [httpx.post(f"{gateway.gateway_url}/api/v1/auth/login", json=wrong).status_code
                for gateway in (a, b, a, b, a)]
    assert statuses == [401] * 5
    slowed = httpx.post(f"{b.gateway_url}/api/v1/auth/login", json=wrong)
    assert slowed.status_code == 429 and int(slowed.headers["Retry-After"]) >= 1


async def test_a_console_cut_off_by_a_redis_restart_reconnects_and_hears_again(
        gateways: Tuple[RunningProcess, RunningProcess], redis: RedisServer) -> None:
    a, b = gateways
    admin = StaffClient.admin(b.gateway_url)
    console_url = ws_url(b, f"/api/v1/staff/ws?token={admin.token}")
    async with websockets.connect(console_url) as console:
        await ready(console)
        redis.stop()
        with pytest.raises(websockets.ConnectionClosed) as closed:
            await asyncio.wait_for(next_of(console, "never"), LIVE_WITHIN)
        assert closed.value.code == 1013  # try again later: the console reconnects
    redis.start()  # the same port, empty
    deadline = asyncio.get_running_loop().time() + 30
    while True:  # as the console does: reconnect until the gateway listens again
        console = await websockets.connect(console_url)
        try:
            await ready(console)
            break
        except websockets.ConnectionClosed:
            assert asyncio.get_running_loop().time() < deadline, "B did not listen again"
            await asyncio.sleep(0.5)
    try:
        customer = handed_over(a)  # A publishes again too
        assert (await next_of(console, "ticket"))["ticket_id"] == admin.ticket_of(customer.id)["id"]
    finally:
        await console.close()
