"""Live fan-out of new messages to the WebSockets watching a conversation.

In-process: with one gateway process every watcher gets every message at once. The
WebSocket client also sends the id of the last message it has on every (re)connect and
is sent what it missed from the database, so a watcher never depends on the hub alone.
(Several gateway processes need a shared fan-out; Redis pub/sub is the planned engine.)
"""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict
from typing import Any, Dict, Set

PING_SECONDS = 20.0

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


async def next_event(queue: asyncio.Queue, ws: Any, ping_seconds: float = PING_SECONDS) -> Dict[str, Any]:
    """The next event for a WebSocket watcher; pings the socket while none comes, so that
    proxies keep it open and a dead client is noticed."""
    while True:
        try:
            return await asyncio.wait_for(queue.get(), ping_seconds)
        except asyncio.TimeoutError:
            await ws.send(json.dumps({"type": "ping"}))
