"""Model events on the gateway's event bus (topic `models`): every change the model store
records (a run started, its progress and stage, trained, failed, evaluated, activated) is
announced as `{"type": "model", "version_id": …, "change": …}`, so the trainer workbench
hears it over its WebSocket instead of asking again and again, and, with Redis, every
gateway hears it."""

from __future__ import annotations

import asyncio
from typing import Callable

from ground.events import EventBus

MODELS_TOPIC = "models"

ModelChanged = Callable[[int, str], None]  # (version id, what changed)


def announcer(events: EventBus, loop: asyncio.AbstractEventLoop) -> ModelChanged:
    """A ModelChanged that publishes on `events`; callable from any thread (the store is
    written from worker threads), the event is published on the loop's thread."""

    def announce(version_id: int, change: str) -> None:
        event = {"type": "model", "version_id": version_id, "change": change}
        loop.call_soon_threadsafe(events.publish, MODELS_TOPIC, event)

    return announce
