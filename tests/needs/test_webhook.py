"""Confirmed sheets reach the teams' webhook: signed, retried until it answers, never
posted twice for one attempt even with two dispatchers (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import json
import threading
from datetime import timedelta
from typing import Dict, Iterator, List

import httpx
import pytest
from sqlalchemy.orm import sessionmaker

from bot.gateway.store import ConversationStore
from needs.models import DeliveryStatus, WebhookDelivery
from needs.records import RequirementSheet, RequirementStore
from needs.webhook import MAX_ATTEMPTS, WebhookDispatcher, signature, verify
from tests.databases import Clock
from tests.needs.receiver import Receiver

SECRET = "webhook-secret-for-tests-0123456789abcdef"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    running = Receiver(failures=2)
    yield running
    running.close()


def saved_requirement(sessions: sessionmaker, clock: Clock, url: str) -> int:
    conversation = ConversationStore(sessions, clock).create_web_conversation()
    sheet = RequirementSheet(what="40 desk lamps", why="the old ones flicker", when="by March",
                             where="Leeds", who=None, how="budget £2,000")
    return RequirementStore(sessions, clock).save(conversation.id, "web", None, sheet,
                                                  {"DATE": ["by March"]}, url)


def dispatcher(sessions: sessionmaker, clock: Clock) -> WebhookDispatcher:
    async def post(url: str, body: bytes, headers: Dict[str, str]) -> int:
        async with httpx.AsyncClient(timeout=5) as client:
            return (await client.post(url, content=body, headers=headers)).status_code
    return WebhookDispatcher(sessions, SECRET, post, clock)


def delivery(sessions: sessionmaker) -> WebhookDelivery:
    with sessions() as session:
        return session.query(WebhookDelivery).one()


def test_a_sheet_is_delivered_signed_after_the_receiver_recovers(
        sessions: sessionmaker, clock: Clock, receiver: Receiver) -> None:
    requirement_id = saved_requirement(sessions, clock, receiver.url)
    sender = dispatcher(sessions, clock)
    assert asyncio.run(sender.deliver_due()) == 0  # 503
    assert asyncio.run(sender.deliver_due()) == 0  # not due yet: backing off
    assert len(receiver.calls) == 1
    first_wait = delivery(sessions).next_attempt_at - clock.now
    clock.now += first_wait
    assert asyncio.run(sender.deliver_due()) == 0  # 503 again
    second_wait = delivery(sessions).next_attempt_at - clock.now
    assert second_wait == 2 * first_wait  # exponential back-off
    clock.now += second_wait
    assert asyncio.run(sender.deliver_due()) == 1
    row = delivery(sessions)
    assert (row.status, row.attempts, row.last_error) == (DeliveryStatus.DELIVERED, 3, None)
    headers, body = receiver.calls[-1]
    assert verify(SECRET, headers["x-caredesk-timestamp"], body, headers["x-caredesk-signature"])
    assert not verify("another-secret", headers["x-caredesk-timestamp"], body,
                      headers["x-caredesk-signature"])
    assert not verify(SECRET, headers["x-caredesk-timestamp"], body + b" ", headers["x-caredesk-signature"])
    document = json.loads(body)
    assert document["schema"] == "caredesk.requirement.v1" and document["id"] == requirement_id
    assert document["fields"] == {"what": "40 desk lamps", "why": "the old ones flicker",
                                  "when": "by March", "where": "Leeds", "who": None,
                                  "how": "budget £2,000"}
    assert headers["x-caredesk-event"] == "requirement.confirmed"
    clock.now += timedelta(days=1)
    assert asyncio.run(sender.deliver_due()) == 0 and len(receiver.calls) == 3  # never again


def test_a_receiver_that_never_answers_is_given_up_on(sessions: sessionmaker, clock: Clock) -> None:
    saved_requirement(sessions, clock, "http://127.0.0.1:9/nothing-listens-here")
    sender = dispatcher(sessions, clock)
    for _ in range(MAX_ATTEMPTS):
        clock.now += timedelta(hours=2)
        asyncio.run(sender.deliver_due())
    row = delivery(sessions)
    assert (row.status, row.attempts) == (DeliveryStatus.FAILED, MAX_ATTEMPTS)
    assert "Connect" in row.last_error


def test_two_dispatchers_post_each_attempt_once(sessions: sessionmaker, clock: Clock) -> None:
    receiver = Receiver(failures=0)
    try:
        for _ in range(5):
            saved_requirement(sessions, clock, receiver.url)
        senders = [dispatcher(sessions, clock), dispatcher(sessions, clock)]
        barrier = threading.Barrier(2)
        delivered: List[int] = []

        def run(sender: WebhookDispatcher) -> None:
            barrier.wait()
            delivered.append(asyncio.run(sender.deliver_due()))

        threads = [threading.Thread(target=run, args=(s,)) for s in senders]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sum(delivered) == 5
        ids = sorted(int(headers["x-caredesk-delivery"]) for headers, _ in receiver.calls)
        assert ids == sorted(set(ids)) and len(ids) == 5
    finally:
        receiver.close()


def test_no_webhook_configured_queues_nothing(sessions: sessionmaker, clock: Clock) -> None:
    saved_requirement(sessions, clock, "")
    with sessions() as session:
        assert session.query(WebhookDelivery).count() == 0


def test_the_signature_is_hmac_sha256_of_timestamp_and_body() -> None:
    import hashlib
    import hmac
    expected = hmac.new(b"k", b"1700000000.{}", hashlib.sha256).hexdigest()
    assert signature("k", "1700000000", b"{}") == f"sha256={expected}"
