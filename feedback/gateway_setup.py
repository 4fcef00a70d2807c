"""Feedback's part of the gateway: it hears resolved and reopened tickets (scheduling or
cancelling the 3-7-30 follow-ups) and runs the worker that sends them (app.ctx.follow_ups)."""

from __future__ import annotations

import asyncio

from sanic import Sanic

from feedback.followups import FollowUpScheduler, FollowUpStore
from feedback.schedule import FollowUpSchedule
from feedback.worker import FollowUpWorker
from ground.settings import Settings
from ground.web.workers import keep_running


def install(app: Sanic, settings: Settings) -> None:
    """Needs the handoff's part set up first (app.ctx.tickets, desk)."""
    plan = FollowUpSchedule.from_settings(settings)  # a bad setting stops the start here

    @app.listener("before_server_start")
    async def open_follow_ups(app: Sanic, _loop: asyncio.AbstractEventLoop) -> None:
        app.ctx.tickets.add_listener(FollowUpScheduler(plan))
        app.ctx.follow_ups = FollowUpWorker(
            FollowUpStore(app.ctx.sessions), app.ctx.service, app.ctx.tickets, plan,
            app.ctx.desk.announce, poll_seconds=settings.follow_up_poll_seconds)

    keep_running(app, "follow_up", lambda app: app.ctx.follow_ups)
