"""What every live WebSocket of the gateway does around its loop: listen to a topic of the
event bus before reading what was missed, and end the right way: a watcher whose right
was revoked is told so (401) and closed, a watcher that may have lost events is closed
with 1013 so that its page reconnects and catches up, and the subscription never
outlives the socket."""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator

from ground.events import LOST_CLOSE_CODE, EventBus, EventsLost, Revoked
from ground.web.errors import ApiError, refuse_websocket


@asynccontextmanager
async def watching(events: EventBus, topic: str, ws: Any,
                   revoked: str) -> AsyncIterator[asyncio.Queue]:
    """The topic's queue for the block, once the bus listens; `revoked` is what a watcher
    whose right ended is told."""
    queue = events.subscribe(topic)
    try:
        await events.listening(topic)
        yield queue
    except Revoked:
        await refuse_websocket(ws, ApiError(401, "unauthorized", revoked))
    except EventsLost:
        await ws.close(code=LOST_CLOSE_CODE, reason="live events interrupted; reconnect")
    finally:
        events.unsubscribe(topic, queue)
