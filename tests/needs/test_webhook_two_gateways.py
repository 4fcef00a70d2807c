"""Webhook deliveries with two gateway processes on one database (PostgreSQL, and SQLite, the
default) and one Redis: both dispatchers post, and each confirmed sheet reaches the teams'
receiver (a real local HTTP server that counts requests by delivery id) exactly once; a
receiver that fails every delivery's first attempt gets one retry of each, and one success.

The sheets are stored as the assistant's action stores them (RequirementStore.save, which
queues the delivery in the same transaction) in the gateways' database."""

from __future__ import annotations

import time
from typing import Iterator, List

import pytest
from sqlalchemy.orm import Session, sessionmaker

from conversations.store import ConversationStore
from ground.database import create_database_engine
from needs.models import DeliveryStatus
from needs.records import RequirementSheet, RequirementStore
from needs.webhook import verify
from tests.needs.receiver import Receiver
from tests.product import free_port
from tests.redis_server import RedisServer, redis  # noqa: F401 (a fixture)
from tests.databases import rows
from tests.two_gateways import Pair, pids, shared_database, two_gateways
from tests.waiting import wait_until

SHEETS = 30
# one dispatcher alone could not post a batch (20) within the other's poll (2 s)
RECEIVER_SECONDS = 0.2
# the first retry comes FIRST_RETRY seconds after a failure, then up to a poll later
FIRST_RETRY = 2
RETRIED_WITHIN = 90.0


class Gateways:
    def __init__(self, pair: Pair, database: str) -> None:
        self.pair = pair
        self.database = database
        self.secret = pair[0].env["REQUIREMENTS_WEBHOOK_SECRET"]


@pytest.fixture(scope="module", params=["postgresql", "sqlite"])
def gateways(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
             redis: RedisServer) -> Iterator[Gateways]:
    folder = tmp_path_factory.mktemp(f"webhooks-{request.param}")
    database = shared_database(request.param, request, folder)
    with two_gateways(folder, DATABASE_URL=database, REDIS_URL=redis.url,
                      RASA_PORT=str(free_port()), ACTION_PORT=str(free_port()),
                      REQUIREMENTS_WEBHOOK_FIRST_RETRY_SECONDS=str(FIRST_RETRY)) as pair:
        yield Gateways(pair, database)


def confirm_sheets(database: str, count: int, url: str) -> List[int]:
    """`count` confirmed sheets, each with its delivery to `url` queued; the delivery ids."""
    engine = create_database_engine(database)
    try:
        sessions = sessionmaker(bind=engine, class_=Session, future=True, expire_on_commit=False)
        conversations, requirements = ConversationStore(sessions), RequirementStore(sessions)
        sheet = RequirementSheet(what="40 desk lamps", why="the old ones flicker",
                                 when="by March", where="Leeds", who=None, how="budget £2,000")
        saved = [requirements.save(conversations.create_web_conversation().id, "web", None,
                                   sheet, {}, url) for _ in range(count)]
    finally:
        engine.dispose()
    return [row["id"] for row in rows(database, "SELECT id, requirement_id FROM webhook_deliveries")
            if row["requirement_id"] in saved]


def deliveries(database: str, ids: List[int]) -> List[dict]:
    return [row for row in rows(database, "SELECT id, status, attempts, last_error "
                                          "FROM webhook_deliveries ORDER BY id")
            if row["id"] in ids]


def all_delivered(database: str, ids: List[int]) -> bool:
    return all(row["status"] == DeliveryStatus.DELIVERED for row in deliveries(database, ids))


def test_each_sheet_is_posted_once_by_one_of_the_two_gateways(gateways: Gateways) -> None:
    receiver = Receiver(delay=RECEIVER_SECONDS, senders=sorted(pids(gateways.pair)))
    try:
        ids = confirm_sheets(gateways.database, SHEETS, receiver.url)
        assert len(ids) == SHEETS
        wait_until(lambda: all_delivered(gateways.database, ids), 120,
                   lambda: f"not all delivered: {deliveries(gateways.database, ids)}")

        for delivery in ids:
            posts = receiver.posts_of(str(delivery))
            assert [post.status for post in posts] == [204], (delivery, posts)
            headers, body = posts[0].headers, posts[0].body
            assert verify(gateways.secret, headers["x-caredesk-timestamp"], body,
                          headers["x-caredesk-signature"], time.time())
        assert sorted(int(post.delivery) for post in receiver.posts) == sorted(ids)
        assert {row["attempts"] for row in deliveries(gateways.database, ids)} == {1}
        # both gateways posted some
        assert {post.sender for post in receiver.posts} == pids(gateways.pair)
    finally:
        receiver.close()


def test_a_failed_first_attempt_is_retried_once_and_succeeds_once(gateways: Gateways) -> None:
    receiver = Receiver(fail_first_attempt=True, delay=RECEIVER_SECONDS,
                        senders=sorted(pids(gateways.pair)))
    try:
        ids = confirm_sheets(gateways.database, SHEETS, receiver.url)
        wait_until(lambda: all_delivered(gateways.database, ids), RETRIED_WITHIN,
                   lambda: f"not all delivered: {deliveries(gateways.database, ids)}")

        for delivery in ids:
            statuses = [post.status for post in receiver.posts_of(str(delivery))]
            assert statuses == [503, 204], (delivery, statuses)
        for row in deliveries(gateways.database, ids):
            assert row["attempts"] == 2 and row["last_error"] is None, row
        assert {post.sender for post in receiver.posts} == pids(gateways.pair)
    finally:
        receiver.close()
