"""The delivery worker against a real store: order, retries, nothing dropped."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from typing import List, Optional

import pytest
from sqlalchemy.exc import OperationalError

from conversations import delivery
from conversations.delivery import MAX_ATTEMPTS, DeliveryWorker, retry_delay
from conversations.models import Author
from conversations.store import TELEGRAM, ConversationStore, MessageRecord
from tests.databases import Clock
from tests.gateway.test_store import store  # noqa: F401  (fixture)


class FlakySender:
    """A channel that refuses the first `failures` sends (as a Bot API outage would)."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.sent: List[str] = []

    async def send(self, address: str, message: MessageRecord) -> Optional[str]:
        if self.failures:
            self.failures -= 1
            raise ConnectionError("Bot API unreachable")
        self.sent.append(f"{address}:{message.text}")
        return str(len(self.sent))


def test_back_off_grows_and_gives_up() -> None:
    assert retry_delay(1) == timedelta(seconds=2)
    assert retry_delay(2) == timedelta(seconds=4)
    assert retry_delay(MAX_ATTEMPTS - 1) <= timedelta(minutes=10)
    assert retry_delay(MAX_ATTEMPTS) is None


async def _one_then_two_and_one_failed(store: ConversationStore, chat: str) -> tuple[FlakySender, DeliveryWorker]:
    """Two messages to `chat`, "one" then "two", after a round in which "one" failed."""
    conversation = store.conversation_for_address(TELEGRAM, chat)
    for text in ("one", "two"):
        store.add_outbound(conversation, author=Author.BOT, text=text, push=True)
    sender = FlakySender(failures=1)
    worker = DeliveryWorker(store, {TELEGRAM: sender})
    assert await worker.deliver_due() == 0
    return sender, worker


async def test_a_failed_message_is_retried_and_order_is_kept(store: ConversationStore, clock: Clock) -> None:  # noqa: F811
    sender, worker = await _one_then_two_and_one_failed(store, "7")
    assert sender.sent == []  # "two" must not overtake "one"
    clock.now += timedelta(seconds=3)
    assert await worker.deliver_due() == 2
    assert sender.sent == ["7:one", "7:two"]
    assert await worker.deliver_due() == 0


async def test_a_message_waiting_for_its_retry_is_not_overtaken_in_a_later_round(
        store: ConversationStore, clock: Clock) -> None:  # noqa: F811
    """"one" failed and waits 2 s for its retry: a round before then sends nothing to that
    chat (before, "two" went out first, and "one" after it), while another chat's message goes."""
    sender, worker = await _one_then_two_and_one_failed(store, "10")
    elsewhere = store.conversation_for_address(TELEGRAM, "11")
    store.add_outbound(elsewhere, author=Author.BOT, text="other chat", push=True)
    clock.now += timedelta(seconds=1)
    assert await worker.deliver_due() == 1
    assert sender.sent == ["11:other chat"]
    clock.now += timedelta(seconds=2)
    assert await worker.deliver_due() == 2
    assert sender.sent == ["11:other chat", "10:one", "10:two"]


async def test_an_unconfigured_channel_keeps_its_messages(store: ConversationStore, clock: Clock) -> None:  # noqa: F811
    conversation = store.conversation_for_address(TELEGRAM, "8")
    store.add_outbound(conversation, author=Author.BOT, text="held", push=True)
    worker = DeliveryWorker(store, {})
    assert await worker.deliver_due() == 0
    clock.now += timedelta(seconds=3)
    sender = FlakySender(failures=0)
    assert await DeliveryWorker(store, {TELEGRAM: sender}).deliver_due() == 1
    assert sender.sent == ["8:held"]


async def test_a_sent_message_the_database_would_not_mark_goes_out_once(
        store: ConversationStore, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    """The Bot API took the message, then the database refused the "sent" mark (locked by
    another writer): the mark is tried again, and no later round sends the message twice."""
    conversation = store.conversation_for_address(TELEGRAM, "9")
    store.add_outbound(conversation, author=Author.BOT, text="once", push=True)
    mark, refusals = store.delivery_sent, [2]

    def locked_at_first(delivery_id: int, external_id: Optional[str]) -> None:
        if refusals[0]:
            refusals[0] -= 1
            raise OperationalError("UPDATE deliveries", {}, sqlite3.OperationalError("database is locked"))
        mark(delivery_id, external_id)

    monkeypatch.setattr(store, "delivery_sent", locked_at_first)
    monkeypatch.setattr(delivery, "MARK_RETRY_SECONDS", 0.01)
    sender = FlakySender(failures=0)
    worker = DeliveryWorker(store, {TELEGRAM: sender})
    assert await worker.deliver_due() == 1
    assert refusals == [0]
    assert await worker.deliver_due() == 0
    assert sender.sent == ["9:once"]
    assert store.due_deliveries() == []
