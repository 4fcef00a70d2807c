"""The Redis event bus against a real Redis: what one process publishes reaches the queues of
another (two buses, two connections, as two gateways), in order, only while subscribed; and a
lost Redis is told to the watchers, who get live events again once it is back."""

from __future__ import annotations

import asyncio
import logging
from typing import AsyncIterator, List

import pytest
from redis.asyncio import Redis

from ground.events import EventsLost, next_event
from ground.redis_events import CHANNEL_PREFIX, RedisEventBus
from tests.redis_server import RedisServer, redis  # noqa: F401 (a fixture)

WAIT = 5.0  # seconds an event that should come may take


async def connected_bus(redis: RedisServer) -> AsyncIterator[RedisEventBus]:
    bus = RedisEventBus(redis.url)
    await bus.connect()
    yield bus
    await bus.close()


@pytest.fixture
async def gateway_a(redis: RedisServer) -> AsyncIterator[RedisEventBus]:
    """The bus of one gateway process (its own connections to Redis)."""
    async for bus in connected_bus(redis):
        yield bus


@pytest.fixture
async def gateway_b(redis: RedisServer) -> AsyncIterator[RedisEventBus]:
    """The bus of another gateway process."""
    async for bus in connected_bus(redis):
        yield bus


async def received(queue: asyncio.Queue) -> dict:
    return await asyncio.wait_for(queue.get(), WAIT)


async def subscribed(bus: RedisEventBus, topic: str) -> asyncio.Queue:
    queue = bus.subscribe(topic)
    await bus.listening(topic)
    return queue


async def subscribers(redis: RedisServer, topic: str) -> int:
    client = Redis.from_url(redis.url)
    try:
        counts = await client.pubsub_numsub(CHANNEL_PREFIX + topic)
        return counts[0][1]
    finally:
        await client.close()


async def test_an_event_published_by_one_gateway_reaches_the_other(
        gateway_a: RedisEventBus, gateway_b: RedisEventBus) -> None:
    on_b = await subscribed(gateway_b, "c0ffee")
    on_a = await subscribed(gateway_a, "c0ffee")
    event = {"type": "message", "message": {"id": 7, "text": "my parcel 📦", "buttons": []}}
    gateway_a.publish("c0ffee", event)
    assert await received(on_b) == event
    assert await received(on_a) == event  # the publisher's own watchers hear it through Redis
    assert gateway_b.watchers("c0ffee") == 1 and gateway_b.watchers("other") == 0


async def test_events_arrive_in_the_order_they_were_published(
        gateway_a: RedisEventBus, gateway_b: RedisEventBus) -> None:
    queue = await subscribed(gateway_b, "staff")
    for n in range(500):  # without awaiting: publish never waits for Redis
        gateway_a.publish("staff", {"type": "ticket", "ticket_id": n})
    assert [(await received(queue))["ticket_id"] for _ in range(500)] == list(range(500))


async def test_topics_are_kept_apart(gateway_a: RedisEventBus, gateway_b: RedisEventBus) -> None:
    one = await subscribed(gateway_b, "aaaa")
    other = await subscribed(gateway_b, "bbbb")
    gateway_a.publish("aaaa", {"type": "state", "state": "queued"})
    gateway_a.publish("bbbb", {"type": "marker"})
    assert await received(other) == {"type": "marker"}
    assert await received(one) == {"type": "state", "state": "queued"}
    assert one.empty() and other.empty()


async def test_an_unsubscribed_queue_hears_nothing_more(
        redis: RedisServer, gateway_a: RedisEventBus, gateway_b: RedisEventBus) -> None:
    leaving = await subscribed(gateway_b, "dddd")
    staying = await subscribed(gateway_b, "dddd")
    gateway_b.unsubscribe("dddd", leaving)
    gateway_a.publish("dddd", {"type": "message", "n": 1})
    assert await received(staying) == {"type": "message", "n": 1}
    assert leaving.empty()
    # the last queue gone, the process stops listening to the channel in Redis
    assert await subscribers(redis, "dddd") == 1
    gateway_b.unsubscribe("dddd", staying)
    for _ in range(100):
        if await subscribers(redis, "dddd") == 0:
            break
        await asyncio.sleep(0.05)
    assert await subscribers(redis, "dddd") == 0
    # and listens again for a new watcher
    again = await subscribed(gateway_b, "dddd")
    gateway_a.publish("dddd", {"type": "message", "n": 2})
    assert await received(again) == {"type": "message", "n": 2}
    assert staying.empty()


async def test_subscribing_and_leaving_at_once_ends_listening(
        redis: RedisServer, gateway_a: RedisEventBus, gateway_b: RedisEventBus) -> None:
    for _ in range(5):
        gateway_b.unsubscribe("eeee", gateway_b.subscribe("eeee"))
    queue = await subscribed(gateway_b, "eeee")
    gateway_a.publish("eeee", {"type": "marker"})
    assert await received(queue) == {"type": "marker"}
    gateway_b.unsubscribe("eeee", queue)
    for _ in range(100):
        if await subscribers(redis, "eeee") == 0:
            break
        await asyncio.sleep(0.05)
    assert await subscribers(redis, "eeee") == 0


async def test_what_cannot_be_published_is_logged_not_raised(
        gateway_a: RedisEventBus, caplog: pytest.LogCaptureFixture) -> None:
    queue = await subscribed(gateway_a, "ffff")
    with caplog.at_level(logging.ERROR, logger="ground.redis_events"):
        gateway_a.publish("ffff", {"type": "message", "at": object()})
    gateway_a.publish("ffff", {"type": "marker"})
    assert await received(queue) == {"type": "marker"}
    assert "not JSON" in caplog.text


async def test_a_gateway_without_its_redis_does_not_start() -> None:
    from bot.runtime.launch import free_port

    bus = RedisEventBus(f"redis://127.0.0.1:{free_port()}/0")
    with pytest.raises(RuntimeError, match="does not answer"):
        await bus.connect()


class Socket:
    """Stands in for a WebSocket while next_event waits (it only pings)."""

    def __init__(self) -> None:
        self.sent: List[str] = []

    async def send(self, data: str) -> None:
        self.sent.append(data)


async def test_a_lost_redis_closes_the_watchers_and_they_listen_again_once_it_is_back() -> None:
    server = RedisServer()
    server.start()
    bus = RedisEventBus(server.url, ping_seconds=0.5, listen_timeout=1.0)
    other = RedisEventBus(server.url)
    try:
        await bus.connect()
        watching = await subscribed(bus, "abcd")
        server.stop()
        with pytest.raises(EventsLost):
            await asyncio.wait_for(next_event(watching, Socket()), WAIT)
        bus.unsubscribe("abcd", watching)
        # while Redis is away, a new watcher is refused (its client tries again later)
        waiting = bus.subscribe("abcd")
        with pytest.raises(EventsLost):
            await bus.listening("abcd")
        bus.unsubscribe("abcd", waiting)

        server.start()  # the same port
        await other.connect()
        for _ in range(100):  # the bus reconnects after a pause of at most a few seconds
            queue = bus.subscribe("abcd")
            try:
                await bus.listening("abcd")
                break
            except EventsLost:
                bus.unsubscribe("abcd", queue)
        other.publish("abcd", {"type": "message", "n": 1})
        assert await received(queue) == {"type": "message", "n": 1}
    finally:
        await other.close()
        await bus.close()
        server.remove()


async def test_publishing_on_a_bus_not_connected_is_logged_not_raised(
        caplog: pytest.LogCaptureFixture) -> None:
    bus = RedisEventBus("redis://127.0.0.1:1/0")
    with caplog.at_level(logging.WARNING, logger="ground.redis_events"):
        bus.publish("staff", {"type": "ticket", "ticket_id": 1})
    assert "not connected" in caplog.text
