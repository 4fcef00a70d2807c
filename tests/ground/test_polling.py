"""A polling worker does its due work at once when an event on its topic announces some,
not only at its next poll."""

from __future__ import annotations

import asyncio

from ground.events import InProcessEventBus
from ground.polling import PollingWorker


class CountingWorker(PollingWorker):
    """Counts its rounds; its poll is an hour, so only a wake-up starts a second round."""

    def __init__(self) -> None:
        super().__init__()
        self.rounds = 0
        self.round_done = asyncio.Event()

    async def run_round(self) -> int:
        self.rounds += 1
        self.round_done.set()
        return 0

    def pause_seconds(self) -> float:
        return 3600.0


async def subscribed(events: InProcessEventBus, topic: str) -> None:
    while events.watchers(topic) == 0:
        await asyncio.sleep(0.01)


async def next_round(worker: CountingWorker) -> None:
    await asyncio.wait_for(worker.round_done.wait(), 5.0)
    worker.round_done.clear()


async def test_an_event_on_its_topic_wakes_the_worker_before_its_poll() -> None:
    events, worker = InProcessEventBus(), CountingWorker()
    running = asyncio.create_task(worker.run())
    listening = asyncio.create_task(worker.wake_on(events, "deliveries"))
    try:
        await next_round(worker)  # the first round runs at start
        await asyncio.wait_for(subscribed(events, "deliveries"), 5.0)
        events.publish("deliveries", {"type": "delivery_due"})
        await next_round(worker)
        assert worker.rounds == 2
    finally:
        worker.stop()
        listening.cancel()
        await asyncio.gather(running, listening, return_exceptions=True)
    assert events.watchers("deliveries") == 0  # unsubscribed when it stopped
