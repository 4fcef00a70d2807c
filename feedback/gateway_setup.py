"""Feedback's part of the gateway: it hears resolved and reopened tickets (scheduling or
cancelling the 3-7-30 aftercare messages) and runs the worker that sends them
(app.ctx.aftercare)."""

from __future__ import annotations

import asyncio

from sanic import Sanic

from feedback.aftercare import AftercareScheduler, AftercareStore
from feedback.schedule import AftercareSchedule
from feedback.worker import AftercareWorker
from ground.settings import Settings
from ground.web.workers import keep_running


def install(app: Sanic, settings: Settings) -> None:
    """Needs the handoff's part set up first (app.ctx.tickets, desk)."""
    schedule = AftercareSchedule.from_settings(settings)  # a bad setting stops the start here

    @app.listener("before_server_start")
    async def open_aftercare(app: Sanic, _loop: asyncio.AbstractEventLoop) -> None:
        app.ctx.tickets.add_listener(AftercareScheduler(schedule))
        app.ctx.aftercare = AftercareWorker(
            AftercareStore(app.ctx.sessions), app.ctx.service, app.ctx.tickets, schedule,
            app.ctx.desk.announce, poll_seconds=settings.aftercare_poll_seconds)

    keep_running(app, "aftercare", lambda app: app.ctx.aftercare)
