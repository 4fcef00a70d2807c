"""Background workers that live as long as the web server: started once it runs, stopped
(and their task awaited) before it stops."""

from __future__ import annotations

import asyncio
from typing import Callable

from sanic import Sanic

from ground.polling import PollingWorker


def keep_running(app: Sanic, name: str, worker_of: Callable[[Sanic], PollingWorker]) -> None:
    """Runs `worker_of(app)` (built by a before_server_start listener) as the task
    `app.ctx.<name>_task` while the server runs."""
    task_name = f"{name}_task"

    async def start(app: Sanic, _loop: asyncio.AbstractEventLoop) -> None:
        setattr(app.ctx, task_name, asyncio.create_task(worker_of(app).run()))

    async def stop(app: Sanic, _loop: asyncio.AbstractEventLoop) -> None:
        worker_of(app).stop()
        task = getattr(app.ctx, task_name)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    app.register_listener(start, "after_server_start")
    app.register_listener(stop, "before_server_stop")
