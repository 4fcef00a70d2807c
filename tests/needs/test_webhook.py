"""Confirmed sheets reach the teams' webhook: signed, retried until it answers, never
posted twice for one attempt even with two dispatchers (SQLite and PostgreSQL); a
receiver's check refuses a replayed, future-dated or garbled delivery."""

from __future__ import annotations

import asyncio
import calendar
import json
import threading
import time
from datetime import timedelta
from typing import Dict, Iterator, List

import httpx
import pytest
from sqlalchemy.orm import sessionmaker

from conversations.store import ConversationStore
from needs.models import DeliveryStatus, WebhookDelivery
from needs.records import RequirementSheet, RequirementStore
from needs.webhook import (MAX_ATTEMPTS, TOLERANCE_SECONDS, WebhookDispatcher, signature,
                           unix_seconds, verify)
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
    now = unix_seconds(clock.now)  # the receiver's clock agrees with the sender's
    assert verify(SECRET, headers["x-caredesk-timestamp"], body, headers["x-caredesk-signature"], now)
    assert not verify("another-secret", headers["x-caredesk-timestamp"], body,
                      headers["x-caredesk-signature"], now)
    assert not verify(SECRET, headers["x-caredesk-timestamp"], body + b" ",
                      headers["x-caredesk-signature"], now)
    # each attempt is signed when it is sent, so a retry is never refused as old
    assert headers["x-caredesk-timestamp"] == str(now)
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


BODY = b'{"id": 7, "schema": "caredesk.requirement.v1"}'
SENT_AT = 1_795_000_000  # a moment in 2026, in unix seconds


def signed(at: int = SENT_AT, body: bytes = BODY) -> tuple[str, bytes, str]:
    """(timestamp header, body, signature header) as the dispatcher sends them at `at`."""
    return str(at), body, signature(SECRET, str(at), body)


def test_a_fresh_signature_passes() -> None:
    assert verify(SECRET, *signed(), now=SENT_AT)
    assert verify(SECRET, *signed(), now=SENT_AT + 3)  # a few seconds on the way
    assert verify(SECRET, *signed(), now=SENT_AT + TOLERANCE_SECONDS)  # the edge of the window
    assert verify(SECRET, *signed(), now=time.time() + 1, tolerance=10 ** 9)  # a wider window
    fresh = int(time.time())
    assert verify(SECRET, *signed(fresh), now=time.time())


def test_a_replay_after_ten_minutes_is_refused() -> None:
    assert not verify(SECRET, *signed(), now=SENT_AT + 600)
    assert not verify(SECRET, *signed(), now=SENT_AT + TOLERANCE_SECONDS + 1)
    assert not verify(SECRET, *signed(), now=SENT_AT + 60, tolerance=30)  # a receiver's own window


def test_a_timestamp_from_the_future_is_refused() -> None:
    assert not verify(SECRET, *signed(SENT_AT + 600), now=SENT_AT)
    assert not verify(SECRET, *signed(SENT_AT + int(TOLERANCE_SECONDS) + 1), now=SENT_AT)
    assert verify(SECRET, *signed(SENT_AT + 30), now=SENT_AT)  # a clock a little ahead is fine


@pytest.mark.parametrize("timestamp", ["", "abc", "1795000000.0", "-1795000000", " 1795000000",
                                       "1795000000 ", "+1795000000", "1e9", "١٧٩٥٠٠٠٠٠٠",
                                       "9" * 40, None])
def test_a_garbled_timestamp_is_refused(timestamp: object) -> None:
    # even when the signature was made over those very characters
    header = signature(SECRET, str(timestamp), BODY)
    assert not verify(SECRET, timestamp, BODY, header, now=SENT_AT)  # type: ignore[arg-type]


@pytest.mark.parametrize("header", ["", "sha256=", "sha256=00", "garbage", "sha256=é" * 10, None,
                                    signature(SECRET, str(SENT_AT), BODY).upper(),
                                    signature("another-secret", str(SENT_AT), BODY),
                                    signature(SECRET, str(SENT_AT - 1), BODY)])
def test_a_garbled_or_wrong_signature_is_refused(header: object) -> None:
    assert not verify(SECRET, str(SENT_AT), BODY, header, now=SENT_AT)  # type: ignore[arg-type]


@pytest.fixture
def new_york_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The gateway's machine in a time zone that is not UTC."""
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_the_timestamp_is_utc_whatever_the_time_zone(
        sessions: sessionmaker, clock: Clock, new_york_time: None) -> None:
    receiver = Receiver(failures=0)
    try:
        saved_requirement(sessions, clock, receiver.url)
        assert asyncio.run(dispatcher(sessions, clock).deliver_due()) == 1
        headers, body = receiver.calls[0]
        utc_seconds = calendar.timegm(clock.now.timetuple())  # clock.now is naive UTC
        assert headers["x-caredesk-timestamp"] == str(utc_seconds)
        assert verify(SECRET, headers["x-caredesk-timestamp"], body,
                      headers["x-caredesk-signature"], now=utc_seconds + 1)
    finally:
        receiver.close()
