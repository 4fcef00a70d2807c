"""The event bus: live events by topic, for whoever listens.

Topics are a conversation's id (its messages and state changes, heard by the customer's
WebSocket and by agents watching it) and STAFF_TOPIC (ticket and conversation events, heard by
every staff console). Events are JSON-able dicts, so an implementation across processes can
carry them. `InProcessEventBus` serves one gateway process; several gateways share one
through Redis pub/sub (`ground/redis_events.py`, chosen by REDIS_URL). A listener never
depends on the bus alone: a WebSocket client sends the id of the last message it has on
every (re)connect and is sent what it missed from the database. So a bus that may lose
events (a dropped connection to Redis) says so to its watchers (`EventsLost` from
`next_event`); their WebSocket is then closed, and the client reconnects and catches up.
"""

from __future__ import annotations

import asyncio
import json
import time
from abc import ABC, abstractmethod
from collections import defaultdict
from typing import Any, Awaitable, Callable, Dict, Optional, Set

PING_SECONDS = 20.0
# how often a watcher's right to watch is checked again (a revoked session is closed
# within this many seconds)
CHECK_SECONDS = 3.0

Allowed = Callable[[], Awaitable[bool]]


class Revoked(Exception):
    """The watcher's session or token was revoked while it watched."""


class EventsLost(Exception):
    """The bus may have lost events for this watcher (or cannot listen now): it should be
    closed so that its client reconnects and reads what it missed from the database."""


# put into a watcher's queue by a bus that may have lost events for it (compared by identity)
LOST: Dict[str, Any] = {"type": "events_lost"}
# the WebSocket close code then ("Try Again Later"): the chat page and the agent console
# reconnect and catch up
LOST_CLOSE_CODE = 1013

# the topic every staff console listens to (conversation ids are hex, so no other topic name
# such as this one or "deliveries" can clash with one)
STAFF_TOPIC = "staff"


class EventBus(ABC):
    """Publish an event to a topic; every queue subscribed to that topic receives it."""

    @abstractmethod
    def subscribe(self, topic: str) -> asyncio.Queue:
        """A new queue that receives the topic's events from now on."""

    @abstractmethod
    def unsubscribe(self, topic: str, queue: asyncio.Queue) -> None:
        """Stops delivering to `queue` (a no-op for an unknown queue)."""

    @abstractmethod
    def publish(self, topic: str, event: Dict[str, Any]) -> None:
        """Hands `event` to the topic's subscribers without waiting for them."""

    @abstractmethod
    def watchers(self, topic: str) -> int:
        """How many queues listen to the topic here."""

    async def listening(self, topic: str) -> None:
        """Returns once events published anywhere to `topic` reach this process's queues
        (call it after `subscribe`, before reading what was missed from the database);
        raises EventsLost when the bus cannot listen now."""

    async def connect(self) -> None:
        """Opens what the bus needs (the gateway's first listener calls it)."""

    async def close(self) -> None:
        """Closes it again (the gateway's last listener calls it)."""


class InProcessEventBus(EventBus):
    """The bus for one process: asyncio queues by topic."""

    def __init__(self) -> None:
        self._watchers: Dict[str, Set[asyncio.Queue]] = defaultdict(set)

    def subscribe(self, topic: str) -> asyncio.Queue:
        queue: asyncio.Queue = asyncio.Queue()
        self._watchers[topic].add(queue)
        return queue

    def unsubscribe(self, topic: str, queue: asyncio.Queue) -> None:
        watchers = self._watchers.get(topic)
        if watchers is None:
            return
        watchers.discard(queue)
        if not watchers:
            del self._watchers[topic]

    def publish(self, topic: str, event: Dict[str, Any]) -> None:
        for queue in list(self._watchers.get(topic, ())):
            queue.put_nowait(event)

    def watchers(self, topic: str) -> int:
        return len(self._watchers.get(topic, ()))


async def next_event(queue: asyncio.Queue, ws: Any, allowed: Optional[Allowed] = None,
                     ping_seconds: float = PING_SECONDS,
                     check_seconds: float = CHECK_SECONDS) -> Dict[str, Any]:
    """The next event for a WebSocket watcher; pings the socket while none comes, so that
    proxies keep it open and a dead client is noticed. With `allowed`, the watcher's right
    is checked again every `check_seconds` (and before an event is handed over after such
    a pause); Revoked is raised once it is gone. EventsLost is raised when the bus may have
    lost events for this queue."""
    wait = min(ping_seconds, check_seconds) if allowed is not None else ping_seconds
    last_ping = last_check = time.monotonic()
    while True:
        try:
            event = await asyncio.wait_for(queue.get(), wait)
        except asyncio.TimeoutError:
            event = None
        now = time.monotonic()
        if allowed is not None and now - last_check >= check_seconds:
            last_check = now
            if not await allowed():
                raise Revoked()
        if event is LOST:
            raise EventsLost()
        if event is not None:
            return event
        if now - last_ping >= ping_seconds:
            last_ping = now
            await ws.send(json.dumps({"type": "ping"}))
