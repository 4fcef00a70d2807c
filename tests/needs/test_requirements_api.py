"""The requirement sheets API through the running product: a sheet is read by the staff who
may see its conversation's ticket (and admins); to anyone else it does not exist (404), and
the list leaves it out."""

from __future__ import annotations

import uuid

from tests.needs.test_needs_form import press, requirements_of
from tests.product import CustomerClient, RunningProcess, StaffClient


def confirmed_sheet(product: RunningProcess, what: str) -> CustomerClient:
    """A customer who confirmed a needs sheet for `what`."""
    customer = CustomerClient(product.gateway_url)
    customer.say(f"We need {what} for our Leeds office by 15 April because the old ones are "
                 "broken. About 20 staff will use them, our budget is £3k and we'd like them "
                 "delivered.")
    assert "that's confirmed" in press(customer, "/affirm")
    return customer


def sheet_calls(sheet_id: int) -> list:
    return [f"/api/v1/requirements/{sheet_id}", f"/api/v1/requirements/{sheet_id}/markdown"]


def identified_sheet(product: RunningProcess, what: str) -> CustomerClient:
    """A customer who proved an order first (so is known by email), then confirmed a sheet:
    the reply goes by email, and no ticket is opened."""
    customer = CustomerClient(product.gateway_url)
    customer.say("where is my order HG-100003")
    assert "HG-100003" in customer.say("ben.okafor@example.com")
    customer.say(f"We need {what} for our Leeds office by 15 April because the old ones are "
                 "broken. About 20 staff will use them, our budget is £3k and we'd like them "
                 "delivered.")
    confirmed = press(customer, "/affirm")
    assert "that's confirmed" in confirmed and "by email" in confirmed, confirmed
    return customer


def test_a_sheet_is_read_only_by_those_who_see_its_ticket(product: RunningProcess) -> None:
    admin = StaffClient.admin(product.gateway_url)
    suffix = uuid.uuid4().hex[:6]
    agent = admin.add(f"ava-{suffix}", "agent")
    expert = admin.add(f"eda-{suffix}", "expert", skills=("product",))
    technical = admin.add(f"tec-{suffix}", "expert", skills=("technical",))

    # nobody has this customer's email address: the sheet opens a ticket for the product experts
    handed_over = confirmed_sheet(product, "30 Atlas chairs")
    [sheet] = requirements_of(admin, handed_over.id)
    ticket = expert.ticket_of(handed_over.id)
    kept_by_bot = identified_sheet(product, "12 Lumen desk lamps")  # no ticket: admins only
    [unhanded] = requirements_of(admin, kept_by_bot.id)
    assert admin.tickets(conversation_id=kept_by_bot.id) == []

    # the expert who may see the ticket reads its sheet, in the list, alone and beside the ticket
    for call in sheet_calls(sheet["id"]):
        assert expert.http.get(call).status_code == 200, call
    assert [s["id"] for s in requirements_of(expert, handed_over.id)] == [sheet["id"]]
    listed = expert.http.get("/api/v1/requirements", params={"limit": "200"}).json()["requirements"]
    assert sheet["id"] in [s["id"] for s in listed] and unhanded["id"] not in [s["id"] for s in listed]
    detail = expert.http.get(f"/api/v1/tickets/{ticket['id']}").json()
    assert [r["id"] for r in detail["requirements"]] == [sheet["id"]]

    # to the agent and the technical expert, whose queue it is not, it does not exist: 404 like
    # an unknown id
    nothing = agent.http.get("/api/v1/requirements/999999")
    for member in (agent, technical):
        for call in sheet_calls(sheet["id"]) + sheet_calls(unhanded["id"]):
            refused = member.http.get(call)
            assert refused.status_code == 404, call
            assert refused.json() == nothing.json()
        assert requirements_of(member, handed_over.id) == []
        listed = member.http.get("/api/v1/requirements", params={"limit": "200"}).json()["requirements"]
        assert {sheet["id"], unhanded["id"]}.isdisjoint(s["id"] for s in listed)

    # a sheet of a conversation nobody was handed: admins only
    for call in sheet_calls(unhanded["id"]):
        assert expert.http.get(call).status_code == 404, call
        assert admin.http.get(call).status_code == 200, call
    assert requirements_of(expert, kept_by_bot.id) == []
    for call in sheet_calls(sheet["id"]):
        assert admin.http.get(call).status_code == 200, call

    # the ticket goes to the technical experts: the sheet goes with it
    assert expert.http.post(f"/api/v1/tickets/{ticket['id']}/claim").status_code == 200
    moved = expert.http.post(f"/api/v1/tickets/{ticket['id']}/transfer",
                             json={"note": "a question for technical", "tier": 2, "skill": "technical"})
    assert moved.status_code == 200, moved.text
    for call in sheet_calls(sheet["id"]):
        assert technical.http.get(call).status_code == 200, call
        assert expert.http.get(call).status_code == 404, call
    assert [s["id"] for s in requirements_of(technical, handed_over.id)] == [sheet["id"]]
