"""The handoff's part of the gateway: the staff API and console (the returns desk's screen
and API included), staff accounts and their rate limits, the ticket store and the agent
desk (app.ctx.accounts, tickets, desk)."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from sanic import Sanic

from ground.settings import Settings
from ground.web.ratelimit import rate_limiter
from handoff.accounts import StaffAccounts
from handoff.api import staff
from handoff.console import console, returns_page
from handoff.desk import HandoffDesk
from handoff.login_throttle import login_throttle
from handoff.returns_api import returns_desk
from handoff.sla import SlaPolicy
from handoff.tickets import TicketStore

logger = logging.getLogger(__name__)


def install(app: Sanic, settings: Settings) -> None:
    """Needs the conversations' part set up first (app.ctx.sessions, service, store, events,
    redis)."""
    app.ctx.login_limit = rate_limiter(app.ctx.redis, "login", settings.login_rate_per_minute)
    app.ctx.login_throttle = login_throttle(app.ctx.redis,
                                            settings.login_throttle_first_delay_seconds)
    app.ctx.staff_limit = rate_limiter(app.ctx.redis, "staff", settings.staff_requests_per_minute)
    app.blueprint(staff)
    app.blueprint(console)
    app.blueprint(returns_desk)
    app.blueprint(returns_page)

    @app.listener("before_server_start")
    async def open_desk(app: Sanic, _loop: asyncio.AbstractEventLoop) -> None:
        app.ctx.accounts = StaffAccounts(
            app.ctx.sessions, session_lifetime=timedelta(hours=settings.staff_session_hours))
        app.ctx.tickets = TicketStore(app.ctx.sessions, SlaPolicy.from_settings(settings))
        app.ctx.desk = HandoffDesk(app.ctx.tickets, app.ctx.service, app.ctx.store, app.ctx.events,
                                   settings)
        app.ctx.service.attach_handoff(app.ctx.desk)
        if await asyncio.to_thread(app.ctx.accounts.ensure_admin, settings.admin_password):
            logger.info("created the first admin (user name: admin) from CAREDESK_ADMIN_PASSWORD")
