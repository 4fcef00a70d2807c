"""A message written while a person has the conversation (bot/channels/with_person.py): the
assistant only reads it for words of crisis or danger, through the running product."""

from __future__ import annotations

from typing import Any, Dict, List

from bot.channels.with_person import without_taking_over
from tests.product import CustomerClient, RunningProcess, StaffClient


def _replies(customer: CustomerClient, text: str) -> List[Dict[str, Any]]:
    response = customer.send(text=text)
    response.raise_for_status()
    return response.json()["replies"]


def test_a_crisis_told_to_a_person_gets_help_at_once_and_raises_the_ticket(product: RunningProcess) -> None:
    """A staff run: "sorry, this is all too much. I want to end it all", sent to an agent who
    had the chat, got no help numbers, the ticket stayed at normal priority, and closing it sent
    a rating request and three aftercare messages."""
    admin = StaffClient.admin(product.gateway_url)
    customer = CustomerClient(product.gateway_url)
    assert customer.send(text="can I talk to a person please").json()["state"] == "queued"
    ticket = admin.ticket_of(customer.id)
    assert admin.http.post(f"/api/v1/tickets/{ticket['id']}/claim").status_code == 200
    assert admin.http.post(f"/api/v1/tickets/{ticket['id']}/messages",
                           json={"text": "Hi, I'm here. How can I help?"}).status_code in (200, 201)
    # what is written to the person is theirs: the assistant says nothing
    assert _replies(customer, "thanks, it's about my order from last week") == []
    said = " ".join(r["text"] or "" for r in _replies(customer, "sorry, this is all too much. I want to end it all"))
    assert "116 123" in said and "passing you to a person" not in said, said
    raised = admin.ticket_of(customer.id)
    assert raised["id"] == ticket["id"] and raised["status"] == "claimed"
    assert "crisis" in raised["reasons"] and raised["priority"] == 1, raised
    # closed: quietly, with no rating asked
    assert admin.http.post(f"/api/v1/tickets/{ticket['id']}/resolve",
                           json={"outcome": "solved", "note": "called, safe"}).status_code == 200
    texts = [m["text"] or "" for m in customer.transcript()["messages"]]
    assert any("Our team has closed this conversation" in t for t in texts), texts[-3:]
    assert not any("How would you rate" in t for t in texts), texts[-3:]


def test_only_the_wait_for_a_person_is_taken_off() -> None:
    said = [{"text": "Samaritans 116 123"}, {"text": "I'm passing you to a person"}]
    assert without_taking_over(said, ["utter_handoff_crisis", "utter_handoff_taking_over_closed"]) == said[:1]
    # replies that cannot be told apart are left as they are
    assert without_taking_over(said, ["utter_handoff_crisis"]) == said
