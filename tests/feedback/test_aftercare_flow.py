"""The aftercare messages through the running product: a person resolves a web customer's case, the
day comes (the test makes an aftercare message due in the product's database; the gateway's own
worker sends it), and the customer answers in the chat: "no" reopens the case for the same
agent, a typed "9" answers the NPS question, "stop" cancels the rest. On Telegram the
aftercare message reaches the customer's chat through the Bot API (a local fake)."""

from __future__ import annotations

import uuid
from typing import Any, Dict, List

import pytest

from ground.clock import utcnow
from tests.gateway.fake_telegram import FakeTelegram
from tests.gateway.test_telegram import message_update, new_chat, post, to_chat
from tests.handoff.test_handoff_flow import telegram_conversation
from tests.product import CustomerClient, RunningProcess, StaffClient
from tests.databases import rows
from tests.waiting import wait_until


@pytest.fixture
def agent(product: RunningProcess) -> StaffClient:
    return StaffClient.admin(product.gateway_url).add(f"kim-{uuid.uuid4().hex[:6]}", "agent")


def query(product: RunningProcess, sql: str, **params: Any) -> List[Dict[str, Any]]:
    return rows(product.env["DATABASE_URL"], sql, **params)


def resolved_case(product: RunningProcess, agent: StaffClient) -> tuple[CustomerClient, int]:
    customer = CustomerClient(product.gateway_url)
    assert customer.send(text="I want to talk to a person").json()["state"] == "queued"
    ticket = agent.ticket_of(customer.id)["id"]
    assert agent.http.post(f"/api/v1/tickets/{ticket}/claim").status_code == 200
    assert agent.http.post(f"/api/v1/tickets/{ticket}/resolve",
                           json={"outcome": "solved", "note": "sorted"}).status_code == 200
    return customer, ticket


def its_day_comes(product: RunningProcess, ticket: int, kind: str) -> None:
    """The days pass: the aftercare message is due now, as the worker reads the database."""
    query(product, "UPDATE aftercare_messages SET due_at = :now WHERE ticket_id = :ticket AND kind = :kind",
          now=utcnow(), ticket=ticket, kind=kind)


def wait_for_bot(customer: CustomerClient, words: str, timeout: float = 30) -> None:
    wait_until(lambda: any(words in (m["text"] or "") for m in customer.transcript()["messages"]
                           if m["author"] == "bot"), timeout,
               lambda: f"no bot message with {words!r}: {customer.transcript()['messages'][-3:]}",
               interval=0.3)


def statuses(product: RunningProcess, ticket: int) -> Dict[str, str]:
    return {row["kind"]: row["status"] for row in query(
        product, "SELECT kind, status FROM aftercare_messages WHERE ticket_id = :ticket", ticket=ticket)}


def wait_for_status(product: RunningProcess, ticket: int, kind: str, wanted: str,
                    timeout: float = 30.0) -> None:
    """The worker marks an aftercare message sent once the message is through to the customer, which
    the customer may see a moment before the mark."""
    wait_until(lambda: statuses(product, ticket)[kind] == wanted, timeout,
               lambda: f"{kind} is {statuses(product, ticket)[kind]}, not {wanted}")


def test_day_3_not_solved_reopens_the_case_for_the_same_agent(product: RunningProcess,
                                                              agent: StaffClient) -> None:
    customer, ticket = resolved_case(product, agent)
    assert statuses(product, ticket) == {"solved_check": "pending", "usage_tips": "pending",
                                         "nps": "pending"}
    its_day_comes(product, ticket, "solved_check")
    wait_for_bot(customer, "Is everything fully sorted now?")
    wait_for_status(product, ticket, "solved_check", "sent")
    assert "reopened your case" in customer.say("no")
    reopened = agent.tickets(conversation_id=customer.id, status="queued")
    assert len(reopened) == 1 and reopened[0]["follow_up_of"] == ticket
    assert reopened[0]["assignee"]["id"] == agent.user["id"] and reopened[0]["reasons"] == ["not_solved"]
    assert statuses(product, ticket) == {"solved_check": "sent", "usage_tips": "cancelled",
                                         "nps": "cancelled"}


def test_day_30_nps_typed_then_stop_opts_out(product: RunningProcess, agent: StaffClient) -> None:
    customer, ticket = resolved_case(product, agent)
    its_day_comes(product, ticket, "nps")
    wait_for_bot(customer, "how likely are you to recommend Harbor Goods")
    assert "means a lot" in customer.say("9")
    message = query(product, "SELECT id FROM aftercare_messages WHERE ticket_id = :t AND kind = 'nps'",
                      t=ticket)[0]["id"]
    assert query(product, "SELECT score, aftercare_message_id FROM nps_responses WHERE conversation_id = :c",
                 c=customer.id) == [{"score": 9, "aftercare_message_id": message}]
    assert "won't send you any more" in customer.say("stop")
    assert statuses(product, ticket) == {"solved_check": "cancelled", "usage_tips": "cancelled",
                                         "nps": "sent"}
    assert query(product, "SELECT conversation_id FROM aftercare_opt_outs WHERE conversation_id = :c",
                 c=customer.id)


def test_a_telegram_customer_gets_the_day_7_guide_in_their_chat(
        product: RunningProcess, fake_telegram: FakeTelegram, agent: StaffClient) -> None:
    chat = new_chat()
    assert post(product, message_update(chat, text="I want to talk to a person")).status_code == 200
    fake_telegram.wait_for("sendMessage", to_chat(chat, "passing you to a person"))
    ticket = agent.ticket_of(telegram_conversation(product, chat))["id"]
    assert agent.http.post(f"/api/v1/tickets/{ticket}/claim").status_code == 200
    assert agent.http.post(f"/api/v1/tickets/{ticket}/resolve",
                           json={"outcome": "solved", "note": "sorted"}).status_code == 200
    its_day_comes(product, ticket, "usage_tips")
    fake_telegram.wait_for("sendMessage", to_chat(chat, "A quick tip: I can track orders"))
    fake_telegram.wait_for("sendMessage", to_chat(chat, 'just reply "stop"'))
    wait_for_status(product, ticket, "usage_tips", "sent")
