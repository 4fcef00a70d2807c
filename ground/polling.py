"""The shape every background worker of the gateway shares: do one round of due work,
then sleep until woken (directly, or by an event on the bus) or until the next poll; a failed round is logged and the loop goes
on (a database hiccup must not stop deliveries for good)."""

from __future__ import annotations

import asyncio
import logging

from ground.events import EventBus

logger = logging.getLogger(__name__)


class PollingWorker:
    """Subclasses say what a round does and how long to wait between rounds."""

    def __init__(self) -> None:
        self._wake = asyncio.Event()
        self._stopping = False

    async def run_round(self) -> int:
        raise NotImplementedError

    def pause_seconds(self) -> float:
        raise NotImplementedError

    def notify(self) -> None:
        """Something new is due: do it now rather than at the next poll."""
        self._wake.set()

    async def wake_on(self, events: EventBus, topic: str) -> None:
        """Wakes the worker on every event published on `topic` (run beside `run`, until
        cancelled): work announced on the bus is done at once, the poll catches the rest."""
        queue = events.subscribe(topic)
        try:
            while not self._stopping:
                await queue.get()
                self.notify()
        finally:
            events.unsubscribe(topic, queue)

    def stop(self) -> None:
        self._stopping = True
        self._wake.set()

    @property
    def stopping(self) -> bool:
        return self._stopping

    async def run(self) -> None:
        while not self._stopping:
            try:
                await self.run_round()
            except Exception:  # the loop must survive a database hiccup
                logger.exception("%s round failed", type(self).__name__)
            try:
                await asyncio.wait_for(self._wake.wait(), self.pause_seconds())
            except asyncio.TimeoutError:
                pass
            self._wake.clear()
