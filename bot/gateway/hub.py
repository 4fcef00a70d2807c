"""Live fan-out of new messages to the WebSockets watching a conversation.

In-process: with one gateway process every watcher gets every message at once. The
WebSocket client also sends the id of the last message it has on every (re)connect and
is sent what it missed from the database, so a watcher never depends on the hub alone.
(Several gateway processes need a shared fan-out; Redis pub/sub is the planned engine.)
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import defaultdict
from typing import Any, Awaitable, Callable, Dict, Optional, Set

PING_SECONDS = 20.0
# how often a watcher's right to watch is checked again (a revoked session is closed
# within this many seconds)
CHECK_SECONDS = 3.0

Allowed = Callable[[], Awaitable[bool]]


class Revoked(Exception):
    """The watcher's session or token was revoked while it watched."""

# the topic every staff console listens to (conversation ids are hex, so it cannot clash)
STAFF_TOPIC = "staff"


class Hub:
    def __init__(self) -> None:
        self._watchers: Dict[str, Set[asyncio.Queue]] = defaultdict(set)

    def subscribe(self, conversation_id: str) -> asyncio.Queue:
        queue: asyncio.Queue = asyncio.Queue()
        self._watchers[conversation_id].add(queue)
        return queue

    def unsubscribe(self, conversation_id: str, queue: asyncio.Queue) -> None:
        watchers = self._watchers.get(conversation_id)
        if watchers is None:
            return
        watchers.discard(queue)
        if not watchers:
            del self._watchers[conversation_id]

    def publish(self, conversation_id: str, event: Dict[str, Any]) -> None:
        for queue in list(self._watchers.get(conversation_id, ())):
            queue.put_nowait(event)

    def watchers(self, conversation_id: str) -> int:
        return len(self._watchers.get(conversation_id, ()))


async def next_event(queue: asyncio.Queue, ws: Any, allowed: Optional[Allowed] = None,
                     ping_seconds: float = PING_SECONDS,
                     check_seconds: float = CHECK_SECONDS) -> Dict[str, Any]:
    """The next event for a WebSocket watcher; pings the socket while none comes, so that
    proxies keep it open and a dead client is noticed. With `allowed`, the watcher's right
    is checked again every `check_seconds` (and before an event is handed over after such
    a pause); Revoked is raised once it is gone."""
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
        if event is not None:
            return event
        if now - last_ping >= ping_seconds:
            last_ping = now
            await ws.send(json.dumps({"type": "ping"}))
