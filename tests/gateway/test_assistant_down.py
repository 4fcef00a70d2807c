"""A gateway whose assistant is down or hangs: the customer is told at once, the message is
kept, and the conversation is flagged for a human. Nothing is lost across a restart."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path
from typing import Iterator

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from conversations import notices
from conversations.models import Conversation, Message, State
from handoff.models import Ticket
from ground.database import create_database_engine
from tests.product import CustomerClient, RunningProcess, free_port, product_environment, start_gateway
from tests.waiting import wait_until


class HangingServer:
    """Accepts connections and never answers, like a Rasa stuck on a long request."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(64)
        self.port = self.socket.getsockname()[1]
        self.held: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                return
            self.held.append(connection)

    def close(self) -> None:
        self.socket.close()
        for connection in self.held:
            connection.close()


def _database(process: RunningProcess) -> Session:
    return Session(create_database_engine(process.env["DATABASE_URL"]), future=True)


@pytest.fixture
def gateway_without_rasa(tmp_path: Path) -> Iterator[RunningProcess]:
    env = product_environment(tmp_path, RASA_PORT=str(free_port()), ACTION_PORT=str(free_port()),
                              MESSAGE_RATE_PER_MINUTE="4")
    process = start_gateway(tmp_path, env)
    yield process
    process.stop()


def test_rasa_down_the_customer_is_told_and_the_conversation_handed_over(
    gateway_without_rasa: RunningProcess,
) -> None:
    customer = CustomerClient(gateway_without_rasa.gateway_url)
    started = time.monotonic()
    response = customer.send(text="my parcel never arrived!")
    assert time.monotonic() - started < 5
    assert response.status_code == 200
    replies = response.json()["replies"]
    assert [r["author"] for r in replies] == ["system"]
    assert replies[0]["text"] == notices.ASSISTANT_UNAVAILABLE
    with _database(gateway_without_rasa) as db:
        conversation = db.get(Conversation, customer.id)
        # the flag became a ticket at once (the flag is cleared, its reason kept)
        assert conversation.flag_reason == "assistant_unreachable" and not conversation.needs_human
        assert conversation.state == State.QUEUED
        ticket = db.execute(select(Ticket).where(Ticket.conversation_id == customer.id)).scalar_one()
        assert ticket.reasons == ["assistant_unavailable"] and ticket.status == "queued"
        assert ticket.context["gateway_flag"] == "assistant_unreachable"
        texts = db.execute(select(Message.text).where(Message.conversation_id == customer.id)
                           .order_by(Message.id)).scalars().all()
    assert texts == ["my parcel never arrived!", notices.ASSISTANT_UNAVAILABLE]


def test_health_shows_which_part_is_down(gateway_without_rasa: RunningProcess) -> None:
    response = httpx.get(f"{gateway_without_rasa.gateway_url}/healthz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["gateway"]["ok"] and checks["database"]["ok"]
    assert not checks["rasa"]["ok"] and not checks["action_server"]["ok"]


def test_too_many_messages_are_slowed_down(gateway_without_rasa: RunningProcess) -> None:
    customer = CustomerClient(gateway_without_rasa.gateway_url)
    statuses = [customer.send(text=f"message {n}").status_code for n in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    limited = customer.send(text="again")
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0
    assert len(customer.transcript()["messages"]) == 8  # 4 messages, 4 notices; none lost


def test_a_hanging_assistant_times_out(tmp_path: Path) -> None:
    hanging = HangingServer()
    env = product_environment(tmp_path, RASA_PORT=str(hanging.port), RASA_TIMEOUT_SECONDS="1.5")
    process = start_gateway(tmp_path, env)
    try:
        customer = CustomerClient(process.gateway_url)
        started = time.monotonic()
        replies = customer.send(text="hello?").json()["replies"]
        assert time.monotonic() - started < 6
        assert replies[0]["text"] == notices.ASSISTANT_UNAVAILABLE
        with _database(process) as db:
            assert db.get(Conversation, customer.id).flag_reason == "assistant_timeout"
    finally:
        process.stop()
        hanging.close()


def test_a_message_left_unrouted_is_routed_after_a_restart(tmp_path: Path) -> None:
    env = product_environment(tmp_path, RASA_PORT=str(free_port()), ACTION_PORT=str(free_port()))
    process = start_gateway(tmp_path, env)
    customer = CustomerClient(process.gateway_url)
    process.stop()
    # a message the last process stored but never routed (it stopped in between)
    from conversations.store import ConversationStore
    from sqlalchemy.orm import sessionmaker

    store = ConversationStore(sessionmaker(bind=create_database_engine(env["DATABASE_URL"]), future=True))
    conversation = store.conversation(customer.id)
    message, _ = store.add_inbound(conversation, text="are you there?")
    # and a conversation it flagged but stopped before handing over
    flagged = store.create_web_conversation()
    store.flag_for_human(flagged.id, "assistant_timeout")
    restarted = start_gateway(tmp_path, env)
    try:
        wait_until(lambda: store.unhandled_inbound() == [], 20,
                   lambda: f"still unhandled: {store.unhandled_inbound()}")
        texts = [m.text for m in store.messages_after(customer.id, message.id)]
        assert texts == [notices.ASSISTANT_UNAVAILABLE]
        with _database(restarted) as db:
            for conversation_id in (customer.id, flagged.id):
                ticket = db.execute(select(Ticket).where(Ticket.conversation_id == conversation_id)).scalar_one()
                assert ticket.reasons == ["assistant_unavailable"]
                assert db.get(Conversation, conversation_id).state == State.QUEUED
    finally:
        restarted.stop()


def test_a_quick_question_in_the_queue_while_rasa_is_down_is_kept_for_the_person(
    gateway_without_rasa: RunningProcess,
) -> None:
    """The assistant answers a quick question asked in the queue (bot/channels/queued_questions.py);
    while it is down the question is kept for the person, with no second ticket."""
    customer = CustomerClient(gateway_without_rasa.gateway_url)
    assert customer.send(text="my parcel never arrived!").json()["state"] == "queued"
    started = time.monotonic()
    kept = customer.send(text="what are your opening hours?").json()
    assert time.monotonic() - started < 5
    assert kept["state"] == "queued"
    assert [r["text"] for r in kept["replies"]] == [notices.WAITING_FOR_HUMAN]
    with _database(gateway_without_rasa) as db:
        tickets = db.execute(select(Ticket).where(Ticket.conversation_id == customer.id)).scalars().all()
        assert [t.status for t in tickets] == ["queued"]

    # carrying on here instead: out of the queue, and asked to write what they need
    other = CustomerClient(gateway_without_rasa.gateway_url)
    assert other.send(text="my parcel never arrived!").json()["state"] == "queued"
    assert other.send(text="cancel the handoff").json()["replies"][-1]["buttons"]
    left = other.send(payload="/withdraw_handoff").json()
    assert left["state"] == "bot"
    assert [r["text"] for r in left["replies"]] == [notices.LEFT_QUEUE_TO_CARRY_ON,
                                                    notices.WRITE_WHAT_YOU_NEED]


def test_leaving_the_queue_while_rasa_is_down_queues_nobody_again(
    gateway_without_rasa: RunningProcess,
) -> None:
    """The customer, sorted, leaves the queue while the assistant is still down: they are told
    so by the gateway, not handed to a person again with a new ticket."""
    customer = CustomerClient(gateway_without_rasa.gateway_url)
    assert customer.send(text="my parcel never arrived!").json()["state"] == "queued"
    asked = customer.send(text="never mind, it just arrived").json()
    assert [b["payload"] for b in asked["replies"][-1]["buttons"]][0] == "/withdraw_handoff"
    left = customer.send(payload="/withdraw_handoff").json()
    assert left["state"] == "bot"
    assert [r["text"] for r in left["replies"]] == [notices.LEFT_QUEUE]
    with _database(gateway_without_rasa) as db:
        tickets = db.execute(select(Ticket).where(Ticket.conversation_id == customer.id)).scalars().all()
        assert [(t.status, (t.outcome or {}).get("outcome")) for t in tickets] == [("resolved", "withdrawn")]
        assert db.get(Conversation, customer.id).state == State.BOT
