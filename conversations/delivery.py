"""Delivers stored outbound messages to push channels (Telegram), retrying until they go.

Every outbound message for a push channel has a delivery row written in the same
transaction as the message. The worker sends due rows in order; a failure is recorded and
retried with exponential back-off; after the last attempt the row stays as `failed` for
staff to see. Nothing is dropped, and a restart picks up where the last process stopped.
A message that went out is marked sent however long the database takes, so that no later
round sends it again.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Dict, Optional, Protocol

from ground.polling import PollingWorker
from conversations.store import ConversationStore, DeliveryRecord, MessageRecord

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
FIRST_RETRY_SECONDS = 2.0
LONGEST_RETRY_SECONDS = 600.0
IDLE_POLL_SECONDS = 1.0
# the first wait before marking a sent delivery again after the database refused the mark
MARK_RETRY_SECONDS = 0.25
LONGEST_MARK_RETRY_SECONDS = 10.0


class ChannelSender(Protocol):
    """Sends one message to an address on a channel; returns the channel's message id."""

    async def send(self, address: str, message: MessageRecord) -> Optional[str]: ...


def retry_delay(attempts: int, max_attempts: int = MAX_ATTEMPTS,
                first_seconds: float = FIRST_RETRY_SECONDS,
                longest_seconds: float = LONGEST_RETRY_SECONDS) -> Optional[timedelta]:
    """The wait before the next attempt after `attempts` failed ones (exponential back-off);
    None = give up."""
    if attempts >= max_attempts:
        return None
    return timedelta(seconds=min(longest_seconds, first_seconds * 2 ** (attempts - 1)))


# the bus topic on which a new push delivery is announced; delivery workers listen to it
DELIVERIES_TOPIC = "deliveries"


class DeliveryWorker(PollingWorker):
    def __init__(self, store: ConversationStore, senders: Dict[str, ChannelSender]) -> None:
        super().__init__()
        self._store = store
        self._senders = senders

    async def run_round(self) -> int:
        return await self.deliver_due()

    def pause_seconds(self) -> float:
        return IDLE_POLL_SECONDS

    async def deliver_due(self) -> int:
        """Sends every due delivery once; returns how many went out."""
        due = await asyncio.to_thread(self._store.due_deliveries)
        blocked: set[tuple[str, str]] = set()
        sent = 0
        for delivery in due:
            key = (delivery.channel, delivery.address)
            if key in blocked:
                continue  # keep the order: nothing overtakes a message that failed
            if await self._deliver(delivery):
                sent += 1
            else:
                blocked.add(key)
        return sent

    async def _deliver(self, delivery: DeliveryRecord) -> bool:
        sender = self._senders.get(delivery.channel)
        try:
            if sender is None:
                raise RuntimeError(f"channel {delivery.channel!r} is not configured")
            external_id = await sender.send(delivery.address, delivery.message)
        except Exception as error:  # any failure of the channel is retried
            delay = retry_delay(delivery.attempts + 1)
            logger.warning("delivery %s failed (attempt %s): %s", delivery.id,
                           delivery.attempts + 1, error)
            await asyncio.to_thread(
                self._store.delivery_failed, delivery.id, f"{type(error).__name__}: {error}", delay
            )
            return False
        await self._mark_sent(delivery.id, external_id)
        return True

    async def _mark_sent(self, delivery_id: int, external_id: Optional[str]) -> None:
        """Records a delivery that went out, trying until the database takes it: a round that
        found it still pending would send it again, and Telegram has no idempotency key."""
        wait = MARK_RETRY_SECONDS
        while True:
            try:
                await asyncio.to_thread(self._store.delivery_sent, delivery_id, external_id)
                return
            except Exception as error:  # a database hiccup: the message has gone out all the same
                if self.stopping:
                    logger.error("delivery %s went out but is not marked sent (%s); the next "
                                 "gateway sends it again", delivery_id, error)
                    raise
                logger.warning("delivery %s went out but could not be marked sent (%s); "
                               "trying again in %.2fs", delivery_id, error, wait)
                await asyncio.sleep(wait)
                wait = min(wait * 2, LONGEST_MARK_RETRY_SECONDS)


