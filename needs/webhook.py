"""Sends confirmed requirement sheets to the product and technical teams' webhook.

Each POST carries the sheet as JSON, signed so the receiver can trust it:
`X-CareDesk-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">` with the secret
both sides hold, and the timestamp (unix seconds, UTC) in `X-CareDesk-Timestamp`. A receiver
checks both with `verify`: the signature, and that the timestamp is within five minutes of
its own clock, so a captured request cannot be replayed later. Every attempt is signed
afresh, so a retry is never refused as old. A delivery that fails (no answer, or not 2xx)
is retried with exponential back-off; every attempt is claimed by one conditional UPDATE,
so two gateway processes never post the same attempt twice.
"""

from __future__ import annotations

import asyncio
import calendar
import hashlib
import hmac
import json
import logging
from datetime import datetime, timedelta
from typing import Awaitable, Callable, Dict, List, Optional

from sqlalchemy import select, update
from sqlalchemy.orm import sessionmaker

from conversations.delivery import retry_delay
from ground.polling import PollingWorker
from ground.clock import utcnow
from needs.export import to_json
from needs.models import DeliveryStatus, Requirement, WebhookDelivery
from needs.records import requirement_json

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 12
FIRST_RETRY_SECONDS = 10.0
LONGEST_RETRY_SECONDS = 3600.0
# an attempt in flight holds its row this long; a process that died mid-post lets it go
ATTEMPT_LEASE = timedelta(seconds=60)
POLL_SECONDS = 2.0
BATCH = 20
# how far a delivery's timestamp may be from the receiver's clock, either way
TOLERANCE_SECONDS = 300.0
MAX_TIMESTAMP_DIGITS = 12

# the X-CareDesk-Event of a delivery: a sheet confirmed, or sent again with what the customer
# added to it (its `notes`)
CONFIRMED, UPDATED = "requirement.confirmed", "requirement.updated"
# posts (url, body, headers) and returns the HTTP status; raises on no answer
Poster = Callable[[str, bytes, Dict[str, str]], Awaitable[int]]


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def unix_seconds(moment: datetime) -> int:
    """A naive UTC time (ground.clock) as unix seconds, whatever the machine's time zone."""
    return calendar.timegm(moment.utctimetuple())


def verify(secret: str, timestamp: Optional[str], body: bytes, header: Optional[str], now: float,
           tolerance: float = TOLERANCE_SECONDS) -> bool:
    """What a receiver does (and the tests do) to check a delivery: `timestamp` (the
    X-CareDesk-Timestamp header) is whole unix seconds no more than `tolerance` seconds
    before or after `now` (the receiver's clock, e.g. time.time()), and `header` (the
    X-CareDesk-Signature header) is the signature of that timestamp and the raw `body`,
    compared in constant time. Too old means a replay; too far ahead means a forged or
    badly wrong clock; either is refused like a bad signature."""
    if not isinstance(timestamp, str) or not isinstance(header, str):
        return False
    if not (timestamp.isascii() and timestamp.isdigit()) or len(timestamp) > MAX_TIMESTAMP_DIGITS:
        return False
    if abs(now - int(timestamp)) > tolerance:
        return False
    return hmac.compare_digest(signature(secret, timestamp, body).encode(),
                               header.encode("utf-8", "replace"))


class WebhookDispatcher(PollingWorker):
    def __init__(self, sessions: sessionmaker, secret: str, post: Poster,
                 clock: Callable[[], datetime] = utcnow,
                 first_retry_seconds: float = FIRST_RETRY_SECONDS) -> None:
        if not secret:
            raise RuntimeError("REQUIREMENTS_WEBHOOK_SECRET must be set to sign webhook calls")
        super().__init__()
        self._sessions = sessions
        self._secret = secret
        self._post = post
        self._clock = clock
        self._first_retry_seconds = first_retry_seconds

    def _due(self, now: datetime) -> List[int]:
        query = (select(WebhookDelivery.id)
                 .where(WebhookDelivery.status == DeliveryStatus.PENDING,
                        WebhookDelivery.next_attempt_at <= now)
                 .order_by(WebhookDelivery.next_attempt_at).limit(BATCH))
        with self._sessions() as session:
            return list(session.scalars(query))

    def _claim(self, delivery_id: int, now: datetime) -> Optional[tuple[str, bytes, int, str]]:
        """Takes one attempt of a due delivery, or None when another process has it: its
        address, the sheet as it is now, the attempt's number, and the event (`UPDATED` for a
        delivery queued by something the customer added, `CONFIRMED` otherwise)."""
        with self._sessions.begin() as session:
            taken = session.execute(
                update(WebhookDelivery)
                .where(WebhookDelivery.id == delivery_id,
                       WebhookDelivery.status == DeliveryStatus.PENDING,
                       WebhookDelivery.next_attempt_at <= now)
                .values(next_attempt_at=now + ATTEMPT_LEASE,
                        attempts=WebhookDelivery.attempts + 1)
                .execution_options(synchronize_session=False)
            ).rowcount
            if taken != 1:
                return None
            delivery = session.get(WebhookDelivery, delivery_id)
            requirement = session.get(Requirement, delivery.requirement_id)
            body = json.dumps(to_json(requirement_json(requirement)), sort_keys=True).encode()
            added = any(note.created_at <= delivery.created_at for note in requirement.notes)
            return delivery.url, body, delivery.attempts, UPDATED if added else CONFIRMED

    def _record(self, delivery_id: int, attempts: int, error: Optional[str]) -> None:
        now = self._clock()
        with self._sessions.begin() as session:
            delivery = session.get(WebhookDelivery, delivery_id)
            if error is None:
                delivery.status, delivery.delivered_at, delivery.last_error = (
                    DeliveryStatus.DELIVERED, now, None)
                return
            delivery.last_error = error[:500]
            delay = retry_delay(attempts, MAX_ATTEMPTS, self._first_retry_seconds,
                                LONGEST_RETRY_SECONDS)
            if delay is None:
                delivery.status = DeliveryStatus.FAILED
                logger.error("requirement webhook delivery %s failed for good: %s",
                             delivery_id, error)
            else:
                delivery.next_attempt_at = now + delay

    async def deliver_due(self) -> int:
        """Posts every due delivery once; returns how many were delivered."""
        delivered = 0
        for delivery_id in await asyncio.to_thread(self._due, self._clock()):
            claimed = await asyncio.to_thread(self._claim, delivery_id, self._clock())
            if claimed is None:
                continue
            url, body, attempts, event = claimed
            timestamp = str(unix_seconds(self._clock()))
            headers = {
                "Content-Type": "application/json",
                "User-Agent": "CareDesk-Webhook/1",
                "X-CareDesk-Event": event,
                "X-CareDesk-Delivery": str(delivery_id),
                "X-CareDesk-Timestamp": timestamp,
                "X-CareDesk-Signature": signature(self._secret, timestamp, body),
            }
            try:
                status = await self._post(url, body, headers)
                error = None if 200 <= status < 300 else f"HTTP {status}"
            except Exception as failure:  # no answer: retried like any other failure
                error = f"{type(failure).__name__}: {failure}"
            await asyncio.to_thread(self._record, delivery_id, attempts, error)
            delivered += error is None
        return delivered

    async def run_round(self) -> int:
        return await self.deliver_due()

    def pause_seconds(self) -> float:
        return POLL_SECONDS
