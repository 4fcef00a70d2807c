"""The delivery worker against a real store: order, retries, nothing dropped."""

from __future__ import annotations

from datetime import timedelta
from typing import List, Optional

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


async def test_a_failed_message_is_retried_and_order_is_kept(store: ConversationStore, clock: Clock) -> None:  # noqa: F811
    conversation = store.conversation_for_address(TELEGRAM, "7")
    for text in ("one", "two"):
        store.add_outbound(conversation, author=Author.BOT, text=text, push=True)
    sender = FlakySender(failures=1)
    worker = DeliveryWorker(store, {TELEGRAM: sender})
    assert await worker.deliver_due() == 0
    assert sender.sent == []  # "two" must not overtake "one"
    clock.now += timedelta(seconds=3)
    assert await worker.deliver_due() == 2
    assert sender.sent == ["7:one", "7:two"]
    assert await worker.deliver_due() == 0


async def test_an_unconfigured_channel_keeps_its_messages(store: ConversationStore, clock: Clock) -> None:  # noqa: F811
    conversation = store.conversation_for_address(TELEGRAM, "8")
    store.add_outbound(conversation, author=Author.BOT, text="held", push=True)
    worker = DeliveryWorker(store, {})
    assert await worker.deliver_due() == 0
    clock.now += timedelta(seconds=3)
    sender = FlakySender(failures=0)
    assert await DeliveryWorker(store, {TELEGRAM: sender}).deliver_due() == 1
    assert sender.sent == ["8:held"]
