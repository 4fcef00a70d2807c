"""The staff API on the running product: every endpoint checks who is asking, what their
role allows and which tickets are routed to them; claims are atomic; input is validated."""

from __future__ import annotations

import asyncio
import uuid
from typing import Dict, Tuple

import httpx
import pytest

from tests.product import (
    ADMIN_PASSWORD,
    CustomerClient,
    RunningProcess,
    StaffClient,
    product_environment,
    start_gateway,
)

# every staff endpoint: (method, path template, body)
ENDPOINTS = [
    ("GET", "/api/v1/me", None),
    ("GET", "/api/v1/tickets", None),
    ("GET", "/api/v1/tickets/{ticket}", None),
    ("POST", "/api/v1/tickets/{ticket}/claim", {}),
    ("POST", "/api/v1/tickets/{ticket}/messages", {"text": "hello"}),
    ("POST", "/api/v1/tickets/{ticket}/notes", {"text": "a note"}),
    ("POST", "/api/v1/tickets/{ticket}/transfer", {"tier": 2, "skill": "technical", "note": "n"}),
    ("POST", "/api/v1/tickets/{ticket}/resolve", {"outcome": "solved", "note": "n"}),
    ("GET", "/api/v1/staff", None),
    ("POST", "/api/v1/staff", {"username": "x", "password": "p" * 12, "role": "agent"}),
    ("PATCH", "/api/v1/staff/1", {"active": True}),
    ("POST", "/api/v1/staff/1/customers", {"customer_id": 1}),
    ("POST", "/api/v1/auth/logout", None),
]
TICKET_ENDPOINTS = [e for e in ENDPOINTS if "{ticket}" in e[1] or e[1] == "/api/v1/tickets"]
ADMIN_ENDPOINTS = [e for e in ENDPOINTS if e[1].startswith("/api/v1/staff")]


def call(http: httpx.Client, endpoint: Tuple, ticket: int, headers: Dict[str, str]) -> httpx.Response:
    method, path, body = endpoint
    return http.request(method, path.format(ticket=ticket), json=body, headers=headers)


def unique(name: str) -> str:
    return f"{name}-{uuid.uuid4().hex[:6]}"


@pytest.fixture(scope="module")
def team(product: RunningProcess) -> Dict[str, StaffClient]:
    admin = StaffClient.admin(product.gateway_url)
    return {
        "admin": admin,
        "agent": admin.add(unique("ann"), "agent"),
        "agent2": admin.add(unique("bob"), "agent"),
        "expert": admin.add(unique("eve"), "expert", ("technical",)),
        "manager": admin.add(unique("max"), "account_manager"),
        "trainer": admin.add(unique("tia"), "trainer"),
    }


def escalated(product: RunningProcess, text: str) -> CustomerClient:
    customer = CustomerClient(product.gateway_url)
    reply = customer.send(text=text).json()
    assert reply["state"] == "queued", reply
    return customer


def test_without_a_staff_login_nothing_is_reachable(product: RunningProcess) -> None:
    customer = CustomerClient(product.gateway_url)
    http = httpx.Client(base_url=product.gateway_url, timeout=30)
    for endpoint in ENDPOINTS:
        for headers in ({}, customer.headers, {"Authorization": "Bearer forged"}):
            response = call(http, endpoint, 1, headers)
            assert response.status_code == 401, (endpoint, headers, response.text)
            assert response.json()["error"]["code"] == "unauthorized"


def test_roles_and_routing_decide_who_sees_and_handles_which_ticket(
        product: RunningProcess, team: Dict[str, StaffClient]) -> None:
    frontline = escalated(product, "I want to speak to a human please")
    fraud = escalated(product, "someone hacked my account and ordered things with my card")
    first = team["admin"].ticket_of(frontline.id)
    second = team["admin"].ticket_of(fraud.id)
    assert (first["tier"], second["tier"], second["skill"]) == (1, 2, "technical")

    agent, expert, manager, trainer = team["agent"], team["expert"], team["manager"], team["trainer"]
    assert first["id"] in [t["id"] for t in agent.tickets()]
    assert second["id"] not in [t["id"] for t in agent.tickets()]
    assert second["id"] in [t["id"] for t in expert.tickets()]
    assert agent.http.get(f"/api/v1/tickets/{second['id']}").status_code == 403
    assert expert.http.get(f"/api/v1/tickets/{first['id']}").status_code == 403
    assert manager.http.get(f"/api/v1/tickets/{first['id']}").status_code == 403
    assert agent.http.post(f"/api/v1/tickets/{second['id']}/claim").status_code == 403
    # a trainer handles no tickets, and nobody but an admin manages users
    for endpoint in TICKET_ENDPOINTS:
        assert call(trainer.http, endpoint, first["id"], {}).status_code == 403, endpoint
    for member in (agent, expert, manager, trainer):
        for endpoint in ADMIN_ENDPOINTS:
            assert call(member.http, endpoint, first["id"], {}).status_code == 403, endpoint
    assert trainer.http.get("/api/v1/me").json()["user"]["role"] == "trainer"

    # only the owner answers; claiming twice is a conflict
    assert agent.http.post(f"/api/v1/tickets/{first['id']}/messages", json={"text": "hi"}).status_code == 409
    assert agent.http.post(f"/api/v1/tickets/{first['id']}/claim").status_code == 200
    other = team["agent2"]
    assert other.http.post(f"/api/v1/tickets/{first['id']}/claim").status_code == 409
    assert other.http.post(f"/api/v1/tickets/{first['id']}/messages", json={"text": "hi"}).status_code == 403
    assert other.http.post(f"/api/v1/tickets/{first['id']}/resolve",
                           json={"outcome": "solved", "note": "n"}).status_code == 403
    assert agent.http.post(f"/api/v1/tickets/{first['id']}/messages", json={"text": "Hello!"}).status_code == 201
    # an admin may cover: resolve someone else's ticket
    assert team["admin"].http.post(f"/api/v1/tickets/{second['id']}/resolve",
                                   json={"outcome": "duplicate", "note": "dup"}).status_code == 200


def test_bad_input_gets_a_clear_error(product: RunningProcess, team: Dict[str, StaffClient]) -> None:
    customer = escalated(product, "get me a real person")
    agent = team["agent2"]
    ticket = agent.ticket_of(customer.id)["id"]
    assert agent.http.post(f"/api/v1/tickets/{ticket}/claim").status_code == 200
    cases = [
        ("POST", f"/api/v1/tickets/{ticket}/messages", {"text": "  "}, 422),
        ("POST", f"/api/v1/tickets/{ticket}/messages", {"text": "x" * 4001}, 422),
        ("POST", f"/api/v1/tickets/{ticket}/transfer", {"tier": 7, "note": "n"}, 422),
        ("POST", f"/api/v1/tickets/{ticket}/transfer", {"tier": 2, "note": ""}, 422),
        ("POST", f"/api/v1/tickets/{ticket}/transfer", {"tier": 1, "to_user": 1, "note": "n"}, 422),
        # tier 2 is split by skill; a transfer to oneself would only tell the customer they moved
        ("POST", f"/api/v1/tickets/{ticket}/transfer", {"tier": 2, "note": "n"}, 422),
        ("POST", f"/api/v1/tickets/{ticket}/transfer", {"to_user": agent.user["id"], "note": "x"}, 422),
        ("POST", f"/api/v1/tickets/{ticket}/resolve", {"outcome": "whatever", "note": "n"}, 422),
        ("GET", "/api/v1/tickets/abc", None, 404),
        ("GET", "/api/v1/tickets/999999", None, 404),
        ("GET", "/api/v1/tickets?status=lost", None, 422),
    ]
    for method, path, body, status in cases:
        response = agent.http.request(method, path, json=body)
        assert response.status_code == status, (path, body, response.text)
        assert response.json()["error"]["message"]
    bad_json = agent.http.post(f"/api/v1/tickets/{ticket}/notes", content=b"{not json",
                               headers={"Content-Type": "application/json"})
    assert bad_json.status_code == 400
    http = httpx.Client(base_url=product.gateway_url)
    assert http.post("/api/v1/auth/login", json={"username": "admin"}).status_code == 422
    assert http.post("/api/v1/auth/login", json={"username": "admin", "password": "wrong"}).status_code == 401
    created = team["admin"].http.post("/api/v1/staff", json={"username": "weak", "password": "short", "role": "agent"})
    assert created.status_code == 422 and "12" in created.json()["error"]["message"]
    assert agent.tickets(conversation_id=customer.id)[0]["status"] == "claimed"  # nothing moved
    assert not [m for m in customer.transcript()["messages"] if "colleague" in (m["text"] or "")]


def test_staff_edits_that_patch_cannot_make_are_refused(team: Dict[str, StaffClient]) -> None:
    """A role, capacity, name or skills sent to PATCH /staff/{id} were ignored with a 200."""
    admin, agent = team["admin"], team["agent2"]
    before = admin.http.get("/api/v1/staff").json()["staff"]
    for body, named in [({"role": "admin"}, "role"), ({"capacity": -1}, "capacity"),
                        ({"display_name": "x"}, "display_name"), ({"skills": ["technical"]}, "skills"),
                        ({"active": False, "role": "admin"}, "role"),
                        ({"password": "a new password for bob", "capacity": 9}, "capacity")]:
        response = admin.http.patch(f"/api/v1/staff/{agent.user['id']}", json=body)
        assert response.status_code == 422, (body, response.text)
        message = response.json()["error"]["message"]
        assert named in message and "password" in message and "active" in message, message
    # nothing changed, not even the password or the state sent beside the refused field
    assert admin.http.get("/api/v1/staff").json()["staff"] == before
    assert agent.http.get("/api/v1/me").status_code == 200


def test_deactivating_an_agent_puts_their_tickets_back_in_the_queue(
        product: RunningProcess, team: Dict[str, StaffClient]) -> None:
    """cagent2 claimed a ticket and was deactivated: nobody else could claim it (409) or
    transfer it (403), and the customer's messages reached nobody."""
    admin = team["admin"]
    leaving = admin.add(unique("cagent"), "agent")
    customer = escalated(product, "I need to talk to a human")
    ticket = leaving.ticket_of(customer.id)["id"]
    assert leaving.http.post(f"/api/v1/tickets/{ticket}/claim").status_code == 200
    said_before = len(customer.transcript()["messages"])

    response = admin.http.patch(f"/api/v1/staff/{leaving.user['id']}", json={"active": False})
    assert response.status_code == 200 and response.json()["user"]["active"] is False
    detail = team["agent"].http.get(f"/api/v1/tickets/{ticket}").json()
    assert (detail["status"], detail["owner"], detail["tier"]) == ("queued", None, 1)
    assert "deactivated" in detail["history"][-1]["body"]
    # the customer waits for a person again, and is told nothing more
    transcript = customer.transcript()
    assert transcript["state"] == "queued" and len(transcript["messages"]) == said_before
    assert team["agent"].http.post(f"/api/v1/tickets/{ticket}/claim").status_code == 200


async def test_two_agents_claiming_the_same_ticket_at_once(product: RunningProcess,
                                                           team: Dict[str, StaffClient]) -> None:
    customer = escalated(product, "can I talk to an actual person")
    ticket = team["agent"].ticket_of(customer.id)["id"]
    async with httpx.AsyncClient(base_url=product.gateway_url, timeout=30) as http:
        claims = [http.post(f"/api/v1/tickets/{ticket}/claim",
                            headers={"Authorization": f"Bearer {team[name].token}"})
                  for name in ("agent", "agent2")]
        responses = await asyncio.gather(*claims)
    assert sorted(r.status_code for r in responses) == [200, 409]
    loser = next(r for r in responses if r.status_code == 409)
    assert "already claimed" in loser.json()["error"]["message"]


def test_logins_are_rate_limited(tmp_path) -> None:
    env = product_environment(tmp_path, LOGIN_RATE_PER_MINUTE="3", RASA_PORT="9")
    gateway = start_gateway(tmp_path, env)
    try:
        http = httpx.Client(base_url=gateway.gateway_url, timeout=30)
        statuses = [http.post("/api/v1/auth/login", json={"username": "admin", "password": "guess-" + str(n)}).status_code
                    for n in range(4)]
        assert statuses == [401, 401, 401, 429]
        # the right password is refused too while the limit holds: no guessing around it
        right = http.post("/api/v1/auth/login", json={"username": "admin", "password": ADMIN_PASSWORD})
        assert right.status_code == 429 and right.headers.get("Retry-After")
    finally:
        gateway.stop()


async def test_a_reply_resent_with_its_client_message_id_is_stored_and_delivered_once(
        product: RunningProcess, team: Dict[str, StaffClient]) -> None:
    """The agent's console lost the answer (the gateway restarted mid-request) and sends
    the reply again with the same id: one message for the customer, one history entry."""
    customer = escalated(product, "please let me speak with a person")
    agent = team["agent"]
    ticket = agent.ticket_of(customer.id)["id"]
    assert agent.http.post(f"/api/v1/tickets/{ticket}/claim").status_code == 200
    path = f"/api/v1/tickets/{ticket}/messages"
    reply = {"text": "Looking into it now", "client_message_id": "reply-1"}
    first = agent.http.post(path, json=reply)
    assert first.status_code == 201, first.text
    again = agent.http.post(path, json=reply)
    assert again.status_code == 200 and again.json()["message"] == first.json()["message"]

    # the same reply twice at once: one stores it, the other gets it back
    async with httpx.AsyncClient(base_url=product.gateway_url, timeout=30,
                                 headers={"Authorization": f"Bearer {agent.token}"}) as http:
        both = await asyncio.gather(*[http.post(path, json={"text": "Found it",
                                                            "client_message_id": "reply-2"})
                                      for _ in range(2)])
    assert sorted(r.status_code for r in both) == [200, 201]
    assert both[0].json()["message"]["id"] == both[1].json()["message"]["id"]

    # an id already used for another message is refused, and so is a malformed one
    assert customer.send(text="thanks", client_message_id="mine").status_code == 200
    for taken in ("reply-1", "mine"):
        used = agent.http.post(path, json={"text": "Something else", "client_message_id": taken})
        assert used.status_code == 409 and "client_message_id" in used.json()["error"]["message"]
    for bad in (7, "", "x" * 65):
        refused = agent.http.post(path, json={"text": "hello", "client_message_id": bad})
        assert refused.status_code == 422, (bad, refused.text)

    texts = [m["text"] for m in customer.transcript()["messages"] if m["author"] == "agent"]
    assert texts == ["Looking into it now", "Found it"]
    history = agent.http.get(f"/api/v1/tickets/{ticket}").json()["history"]
    assert [e["kind"] for e in history].count("replied") == 2
