"""The event bus across gateway processes: Redis pub/sub (REDIS_URL set).

A topic is the Redis channel `caredesk:events:<topic>`; an event travels as JSON. Every
gateway publishes to Redis and hears from Redis, its own events included, so all gateways
see one order per topic.

- Publishing never waits: `publish` serialises the event and puts it in an outbox; one
  writer task sends the outbox to Redis in order (batched in pipelines), so the events of a
  topic arrive in the order they were published. A failure is logged (once per outage) and
  the events are dropped: their listeners are told below and catch up from the database.
- Listening: one pub/sub connection per process. The first local queue of a topic
  subscribes its channel, the last one to go unsubscribes it. `listening(topic)` returns
  once Redis has confirmed the subscription, so a WebSocket that then reads what it missed
  from the database misses nothing in between.
- A lost connection (Redis restarted, the network, no answer to a PING within
  2 x `ping_seconds`) may have lost events: every local queue gets `LOST`, which closes its
  WebSocket; the client reconnects (and reads what it missed from the database) once the
  bus has connected again and subscribed anew.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any, Dict, List, Optional, Set, Tuple

from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from redis.exceptions import RedisError

from ground.events import LOST, EventBus, EventsLost

logger = logging.getLogger(__name__)

CHANNEL_PREFIX = "caredesk:events:"
# seconds a new watcher waits for Redis to confirm its subscription before giving up
LISTEN_TIMEOUT = 5.0
# the pub/sub connection is PINGed after this many quiet seconds, and given up after twice
PING_SECONDS = 10.0
# the publishing connections are PINGed before use after this many idle seconds
HEALTH_CHECK_SECONDS = 30
OUTBOX_LIMIT = 10_000
BATCH = 256
RECONNECT_FIRST, RECONNECT_MAX = 0.5, 10.0
CLOSE_FLUSH_SECONDS = 2.0

_TROUBLE = (RedisError, OSError)


class RedisEventBus(EventBus):
    def __init__(self, url: str, prefix: str = CHANNEL_PREFIX, *,
                 listen_timeout: float = LISTEN_TIMEOUT,
                 ping_seconds: float = PING_SECONDS) -> None:
        self._url = url
        self._prefix = prefix
        self._listen_timeout = listen_timeout
        self._ping_seconds = ping_seconds
        self._watchers: Dict[str, Set[asyncio.Queue]] = {}
        self._client: Optional[Redis] = None
        self._outbox: Optional[asyncio.Queue] = None
        self._tasks: List[asyncio.Task] = []
        # the current pub/sub connection: up, the topics it was told to subscribe, and by
        # channel the SUBSCRIBE commands sent and confirmed on it
        self._up = False
        self._asked: Set[str] = set()
        self._sent: Dict[bytes, int] = {}
        self._confirmed: Dict[bytes, int] = {}
        self._changed: Optional[asyncio.Event] = None  # the wanted topics changed
        self._progress: Optional[asyncio.Event] = None  # set (and replaced) on each confirmation
        self._served = False  # the last connection was up at least once
        self._failing = False
        self._dropped = 0

    # --- the interface ---------------------------------------------------------------------
    def subscribe(self, topic: str) -> asyncio.Queue:
        queue: asyncio.Queue = asyncio.Queue()
        watchers = self._watchers.setdefault(topic, set())
        watchers.add(queue)
        if len(watchers) == 1 and self._changed is not None:
            self._changed.set()
        return queue

    def unsubscribe(self, topic: str, queue: asyncio.Queue) -> None:
        watchers = self._watchers.get(topic)
        if watchers is None:
            return
        watchers.discard(queue)
        if not watchers:
            del self._watchers[topic]
            if self._changed is not None:
                self._changed.set()

    def publish(self, topic: str, event: Dict[str, Any]) -> None:
        if self._outbox is None:
            logger.warning("event bus not connected: dropped a %s event for %s",
                           event.get("type"), topic)
            return
        try:
            data = json.dumps(event, separators=(",", ":"))
        except (TypeError, ValueError):
            logger.exception("an event for %s is not JSON; dropped", topic)
            return
        try:
            self._outbox.put_nowait((self._channel(topic), data))
        except asyncio.QueueFull:
            self._dropped += 1
            if not self._failing:
                self._failing = True
                logger.warning("Redis takes no events (%d waiting): dropping new ones until "
                               "it does", OUTBOX_LIMIT)

    def watchers(self, topic: str) -> int:
        return len(self._watchers.get(topic, ()))

    async def listening(self, topic: str) -> None:
        if topic not in self._watchers:
            raise ValueError(f"subscribe to {topic!r} before waiting for it")
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._listen_timeout
        while not self._listens(topic):
            remaining = deadline - loop.time()
            if remaining <= 0 or self._progress is None:
                raise EventsLost()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._progress.wait(), remaining)

    async def connect(self) -> None:
        """Connects to Redis (raises RuntimeError when it does not answer) and starts the
        writer and the listener."""
        client = Redis.from_url(self._url, health_check_interval=HEALTH_CHECK_SECONDS)
        try:
            await client.ping()
        except _TROUBLE as error:
            await client.close()
            raise RuntimeError(f"Redis at REDIS_URL does not answer: {error}") from error
        self._client = client
        self._outbox = asyncio.Queue(OUTBOX_LIMIT)
        self._changed = asyncio.Event()
        self._progress = asyncio.Event()
        self._tasks = [asyncio.create_task(self._write(), name="redis-events-writer"),
                       asyncio.create_task(self._listen(), name="redis-events-listener")]

    async def close(self) -> None:
        """Sends what is still in the outbox (for a moment), then stops and disconnects."""
        outbox, self._outbox = self._outbox, None
        if outbox is not None and self._tasks and not self._tasks[0].done():
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(outbox.join(), CLOSE_FLUSH_SECONDS)
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []
        if self._dropped:
            logger.warning("%d event(s) could not be published to Redis", self._dropped)
        if self._client is not None:
            with contextlib.suppress(*_TROUBLE):
                await self._client.close()
            self._client = None

    # --- publishing ------------------------------------------------------------------------
    def _channel(self, topic: str) -> bytes:
        return (self._prefix + topic).encode()

    async def _write(self) -> None:
        assert self._client is not None
        outbox = self._outbox
        assert outbox is not None
        while True:
            batch: List[Tuple[bytes, str]] = [await outbox.get()]
            while len(batch) < BATCH and not outbox.empty():
                batch.append(outbox.get_nowait())
            try:
                async with self._client.pipeline(transaction=False) as pipe:
                    for channel, data in batch:
                        pipe.publish(channel, data)
                    await pipe.execute()
            except _TROUBLE as error:
                self._dropped += len(batch)
                if not self._failing:
                    self._failing = True
                    logger.warning("could not publish events to Redis (%s); their listeners "
                                   "catch up from the database", error)
            else:
                if self._failing:
                    self._failing = False
                    logger.info("publishing to Redis again (%d event(s) dropped so far)",
                                self._dropped)
            finally:
                for _ in batch:
                    outbox.task_done()

    # --- listening -------------------------------------------------------------------------
    def _listens(self, topic: str) -> bool:
        """Whether Redis confirmed every subscription sent for the topic's channel on the
        current connection (commands run in order, so an earlier UNSUBSCRIBE is done too)."""
        channel = self._channel(topic)
        sent = self._sent.get(channel, 0)
        return (self._up and topic in self._asked and sent > 0
                and self._confirmed.get(channel, 0) == sent)

    def _advance(self) -> None:
        progress, self._progress = self._progress, asyncio.Event()
        if progress is not None:
            progress.set()

    async def _listen(self) -> None:
        """Keeps one pub/sub connection, reconnecting after a growing pause."""
        assert self._client is not None
        delay = RECONNECT_FIRST
        while True:
            pubsub = self._client.pubsub()
            self._served = False
            try:
                await self._serve(pubsub)
            except _TROUBLE as error:
                if self._served:
                    delay = RECONNECT_FIRST
                logger.warning("no pub/sub connection to Redis (%s): live watchers are closed "
                               "and reconnect; connecting again in %.1f s", error, delay)
            finally:
                self._lose()
                with contextlib.suppress(*_TROUBLE):
                    await pubsub.reset()
            await asyncio.sleep(delay)
            delay = min(delay * 2, RECONNECT_MAX)

    async def _serve(self, pubsub: PubSub) -> None:
        """Reads the connection's messages and sends the subscriptions the watchers need,
        until the connection fails (raises)."""
        loop = asyncio.get_running_loop()
        assert self._changed is not None
        self._asked, self._sent, self._confirmed = set(), {}, {}
        # a channel of the bus itself: the connection stays subscribed while no topic is
        # watched, so reads and PINGs always work (topics are hex ids or "staff": no clash)
        await pubsub.subscribe(self._prefix + "~bus")
        self._up = self._served = True
        self._changed.set()
        read: Optional[asyncio.Task] = None
        changed: Optional[asyncio.Task] = None
        heard = loop.time()
        try:
            while True:
                if read is None:
                    read = asyncio.create_task(pubsub.get_message(timeout=None))
                if changed is None:
                    changed = asyncio.create_task(self._changed.wait())
                done, _ = await asyncio.wait({read, changed}, timeout=self._ping_seconds,
                                             return_when=asyncio.FIRST_COMPLETED)
                if changed in done:
                    changed = None
                    self._changed.clear()
                    await self._apply(pubsub)
                if read in done:
                    message, read = read.result(), None
                    heard = loop.time()
                    if message is not None:
                        self._handle(message)
                elif not done:
                    if loop.time() - heard >= 2 * self._ping_seconds:
                        raise ConnectionError("Redis did not answer a PING")
                    await pubsub.ping()
        finally:
            self._up = False
            for task in (read, changed):
                if task is not None:
                    task.cancel()
                    with contextlib.suppress(BaseException):
                        await task

    async def _apply(self, pubsub: PubSub) -> None:
        wanted = set(self._watchers)
        new, gone = wanted - self._asked, self._asked - wanted
        self._asked = wanted
        if new:
            channels = [self._channel(topic) for topic in sorted(new)]
            for channel in channels:
                self._sent[channel] = self._sent.get(channel, 0) + 1
            await pubsub.subscribe(*channels)
        if gone:
            await pubsub.unsubscribe(*(self._channel(topic) for topic in sorted(gone)))

    def _handle(self, message: Dict[str, Any]) -> None:
        kind = message.get("type")
        channel = message.get("channel")
        if not isinstance(channel, bytes):
            return
        if kind == "subscribe":
            self._confirmed[channel] = self._confirmed.get(channel, 0) + 1
            self._advance()
            return
        if kind != "message":
            return
        topic = channel.decode(errors="replace")[len(self._prefix):]
        watchers = self._watchers.get(topic)
        if not watchers:
            return
        try:
            event = json.loads(message["data"])
        except (TypeError, ValueError):
            logger.warning("a message on %s is not JSON; ignored", channel.decode(errors="replace"))
            return
        for queue in list(watchers):
            queue.put_nowait(event)

    def _lose(self) -> None:
        """The connection is gone, and events with it: every watcher is told."""
        self._up = False
        self._asked = set()
        for watchers in self._watchers.values():
            for queue in watchers:
                queue.put_nowait(LOST)
        self._advance()
