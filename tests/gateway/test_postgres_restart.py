"""The gateway's stores across a PostgreSQL restart, on a server of their own: the engine
the gateway builds (ground.database.create_database_engine) keeps working once the server
is back, without restarting the app, and nothing committed is lost. Writes that fail while
the server is down are resent the way clients resend (the same client_message_id), and
are stored once."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Iterator, List, Optional

import pytest
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from conversations.delivery import DeliveryWorker
from conversations.models import Author
from conversations.store import MessageRecord
from bot.schema import upgrade
from ground.database import create_database_engine
from handoff.escalation import Reason
from handoff.models import Role
from tests.databases import Clock
from tests.handoff.test_tickets import Desk
from tests.postgres import PostgresServer
from tests.waiting import wait_until

RESEND_DEADLINE_SECONDS = 120.0


class RecordingSender:
    def __init__(self) -> None:
        self.sent: List[str] = []

    async def send(self, address: str, message: MessageRecord) -> Optional[str]:
        self.sent.append(message.text or "")
        return str(len(self.sent))


@pytest.fixture(scope="module")
def server() -> Iterator[PostgresServer]:
    server = PostgresServer()
    server.start()
    yield server
    server.remove()


@pytest.fixture
def desk(server: PostgresServer) -> Iterator[Desk]:
    """The gateway's stores on one engine, as the gateway's app builds them."""
    upgrade(server.url)
    engine = create_database_engine(server.url)
    yield Desk(sessionmaker(bind=engine, class_=Session, future=True, expire_on_commit=False),
               Clock())
    engine.dispose()


def test_the_stores_work_after_a_restart_and_keep_what_was_committed(
        desk: Desk, server: PostgresServer) -> None:
    agent = desk.staff("rita", Role.AGENT)
    conversation, opened = desk.ticket(Reason.REQUESTED)
    desk.tickets.claim(opened.id, agent)
    first, _ = desk.conversations.add_inbound(conversation, text="before the restart",
                                              client_message_id="c1")
    telegram = desk.conversations.conversation_for_address("telegram", "4242", "Tess")
    desk.conversations.add_outbound(telegram, author=Author.AGENT, text="queued before",
                                    push=True)

    server.restart()  # every pooled connection of the engine is now dead

    # the first call after the restart already works: no error reaches a customer
    again, created = desk.conversations.add_inbound(conversation, text="before the restart",
                                                    client_message_id="c1")
    assert not created and again.id == first.id
    desk.conversations.add_inbound(conversation, text="after the restart", client_message_id="c2")
    texts = [m.text for m in desk.conversations.messages_after(conversation.id)]
    assert texts.count("before the restart") == 1 and texts[-1] == "after the restart"
    assert desk.tickets.detail(opened.id, agent)["status"] == "claimed"
    assert desk.tickets.replying(opened.id, agent) == conversation.id
    # the delivery queued before the restart goes out after it
    sender = RecordingSender()
    assert asyncio.run(DeliveryWorker(desk.conversations, {"telegram": sender}).deliver_due()) == 1
    assert sender.sent == ["queued before"]


def test_writes_during_a_restart_are_resent_and_stored_once(
        desk: Desk, server: PostgresServer) -> None:
    conversation = desk.conversations.create_web_conversation()
    sent: List[str] = []
    refused: List[str] = []
    stop = threading.Event()
    failure: List[BaseException] = []

    def customer() -> None:
        """Writes messages one after another; a failed write is resent with the same id."""
        try:
            number = 0
            while not stop.is_set():
                client_id = f"m{number}"
                deadline = time.monotonic() + RESEND_DEADLINE_SECONDS
                while True:
                    try:
                        desk.conversations.add_inbound(conversation, text=f"message {number}",
                                                       client_message_id=client_id)
                        break
                    except DBAPIError as error:  # the server went away: resend
                        refused.append(type(error.orig).__name__)
                        assert time.monotonic() < deadline, "not stored within the deadline"
                        time.sleep(0.05)
                sent.append(client_id)
                number += 1
        except BaseException as error:  # reported by the test thread
            failure.append(error)

    writer = threading.Thread(target=customer, daemon=True)
    writer.start()
    wait_until(lambda: failure or len(sent) >= 20, 60, lambda: f"{len(sent)} stored before the restart",
               interval=0.01)
    assert not failure, failure
    server.restart()
    restarted_at = len(sent)
    wait_until(lambda: failure or len(sent) >= restarted_at + 20, 120,
               lambda: f"{len(sent) - restarted_at} stored after the restart", interval=0.01)
    assert not failure, failure
    stop.set()
    writer.join(timeout=RESEND_DEADLINE_SECONDS)
    assert not failure, failure

    assert refused, "no write was refused: the restart did not happen during the writes"
    stored = [m.client_message_id for m in desk.conversations.messages_after(conversation.id, 0, 10_000)]
    assert stored == sent  # each once, in order, none lost
