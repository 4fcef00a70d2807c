"""The gateway's Sanic application factory.

Everything the gateway holds lives on `app.ctx` and is built by listeners: the database
engine and the HTTP client to Rasa when the server starts, the delivery worker, the
follow-up worker and the recovery of unrouted messages once it runs; all of it is closed
when it stops.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Dict, Optional

import httpx
from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.orm import Session, sessionmaker

from ground.web import clients, errors
from conversations.admission import Admission
from conversations.assistant import AssistantClient
from conversations.service import ConversationService
from conversations.delivery import ChannelSender, DeliveryWorker
from ground.events import InProcessEventBus
from ground.web.ratelimit import RateLimiter
from bot.gateway.routes.conversations import conversations
from bot.gateway.routes.health import health
from bot.gateway.routes.help import help_centre
from bot.gateway.routes.openapi import openapi
from bot.gateway.routes.pages import pages
from conversations.store import ConversationStore
from ground.settings import Settings
from ground.database import create_database_engine
from feedback.followups import FollowUpScheduler, FollowUpStore
from feedback.plan import FollowUpPlan
from feedback.worker import FollowUpWorker
from handoff.accounts import StaffAccounts
from handoff.api import staff
from handoff.console import console
from handoff.desk import HandoffDesk
from handoff.login_throttle import LoginThrottle
from handoff.sla import SlaPolicy
from handoff.tickets import TicketStore
from needs.api import requirements
from needs.records import RequirementStore
from needs.webhook import WebhookDispatcher
from reports.api import reports
from reports.page import report_page
from reports.tracker import tracker_engine
from trainer.activation import Activation
from trainer.api import trainer
from trainer.hot_swap import RasaModelServer
from trainer.models_api import models as trainer_models
from trainer.registry import ModelStore
from trainer.training_run import TrainingRunner
from trainer.page import trainer_page
from trainer.flags import TrainingFlags
from trainer.inbox import Inbox
from trainer.reveals import Reveals
from trainer.reviews import Reviews
from trainer.training_data import TrainingData

logger = logging.getLogger(__name__)

REQUEST_MAX_BYTES = 64 * 1024
HELP_PAGES_PER_MINUTE = 120

# the chat page loads only its own scripts and styles and talks only to this server
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; form-action 'self'"
)


def create_app(settings: Settings, name: str = "caredesk_gateway") -> Sanic:
    if not settings.gateway_secret or not settings.rasa_channel_secret:
        raise RuntimeError("GATEWAY_SECRET and RASA_CHANNEL_SECRET must be set (make run creates .env)")
    if not settings.requirements_webhook_secret:
        raise RuntimeError("REQUIREMENTS_WEBHOOK_SECRET must be set to sign the requirements "
                           "webhook (make run creates .env)")
    follow_up_plan = FollowUpPlan.from_settings(settings)  # a bad setting stops the start here
    app = Sanic(name)
    app.config.REQUEST_MAX_SIZE = REQUEST_MAX_BYTES
    app.config.WEBSOCKET_MAX_SIZE = REQUEST_MAX_BYTES
    app.config.FALLBACK_ERROR_FORMAT = "json"
    app.ctx.settings = settings
    app.ctx.events = InProcessEventBus()
    clients.configure(app, settings)
    app.ctx.message_limit = RateLimiter(settings.message_rate_per_minute)
    app.ctx.message_address_limit = RateLimiter(settings.message_rate_per_address_per_minute)
    app.ctx.conversation_limit = RateLimiter(settings.conversation_rate_per_minute)
    app.ctx.login_limit = RateLimiter(settings.login_rate_per_minute)
    app.ctx.login_throttle = LoginThrottle()
    app.ctx.staff_limit = RateLimiter(settings.staff_requests_per_minute)
    app.ctx.reveal_limit = RateLimiter(settings.trainer_reveals_per_minute)
    # the help centre's public pages, per client address
    app.ctx.help_limit = RateLimiter(HELP_PAGES_PER_MINUTE)
    errors.install(app)
    app.blueprint(conversations)
    app.blueprint(health)
    app.blueprint(openapi)
    app.blueprint(pages)
    app.blueprint(help_centre)
    app.blueprint(staff)
    app.blueprint(console)
    app.blueprint(requirements)
    app.blueprint(reports)
    app.blueprint(report_page)
    app.blueprint(trainer)
    app.blueprint(trainer_models)
    app.blueprint(trainer_page)
    if settings.telegram_enabled:
        from bot.gateway.routes.telegram import telegram

        app.blueprint(telegram)

    @app.listener("before_server_start")
    async def open_resources(app: Sanic, _loop: asyncio.AbstractEventLoop) -> None:
        engine = create_database_engine(settings.database_url)
        app.ctx.engine = engine
        app.ctx.sessions = sessionmaker(bind=engine, class_=Session, future=True,
                                        expire_on_commit=False)
        app.ctx.store = ConversationStore(app.ctx.sessions)
        app.ctx.tracker = tracker_engine(settings.tracker_db_url)  # read-only, for reports
        app.ctx.assistant = AssistantClient(
            settings.rasa_url, settings.rasa_channel_secret, settings.action_health_url,
            settings.rasa_timeout_seconds, settings.rasa_token,
            slow_deadline_seconds=settings.rasa_slow_deadline_seconds,
        )
        senders: Dict[str, ChannelSender] = {}
        app.ctx.telegram = None
        if settings.telegram_enabled:
            from bot.channels.telegram import TelegramChannel

            app.ctx.telegram = TelegramChannel(settings)
            await app.ctx.telegram.start()
            senders["telegram"] = app.ctx.telegram
        app.ctx.delivery = DeliveryWorker(app.ctx.store, senders)
        app.ctx.service = ConversationService(
            app.ctx.store, app.ctx.assistant, app.ctx.events, app.ctx.delivery.notify,
            admission=Admission(settings.rasa_max_in_flight),
            wait_notice_seconds=settings.rasa_wait_notice_seconds,
            typing_senders={"telegram": app.ctx.telegram} if app.ctx.telegram else {},
        )
        if app.ctx.telegram is not None:
            app.ctx.telegram.attach(app.ctx.service, app.ctx.store)
        app.ctx.accounts = StaffAccounts(
            app.ctx.sessions, session_lifetime=timedelta(hours=settings.staff_session_hours))
        app.ctx.tickets = TicketStore(app.ctx.sessions, SlaPolicy.from_settings(settings),
                                      listeners=[FollowUpScheduler(follow_up_plan)])
        app.ctx.desk = HandoffDesk(app.ctx.tickets, app.ctx.service, app.ctx.store, app.ctx.events)
        app.ctx.service.attach_handoff(app.ctx.desk)
        app.ctx.requirements = RequirementStore(app.ctx.sessions)
        app.ctx.inbox = Inbox(app.ctx.tracker, app.ctx.sessions, settings.trainer_low_confidence,
                              settings.training_data_dir)
        app.ctx.training_data = TrainingData(settings.training_data_dir)
        app.ctx.reviews = Reviews(app.ctx.sessions, app.ctx.inbox, app.ctx.training_data)
        app.ctx.reveals = Reveals(app.ctx.sessions, app.ctx.inbox)
        app.ctx.model_store = ModelStore(app.ctx.sessions, settings.model_store_dir)
        app.ctx.training = TrainingRunner(app.ctx.model_store, settings.training_data_dir)
        app.ctx.activation = Activation(app.ctx.model_store,
                                        RasaModelServer(settings.rasa_url, settings.rasa_token))
        app.ctx.training_flags = TrainingFlags(app.ctx.sessions, app.ctx.store, app.ctx.tickets)
        app.ctx.webhook_http = httpx.AsyncClient(timeout=httpx.Timeout(10.0, connect=3.0))
        app.ctx.webhooks = WebhookDispatcher(app.ctx.sessions, settings.requirements_webhook_secret,
                                             _poster(app.ctx.webhook_http))
        app.ctx.follow_ups = FollowUpWorker(
            FollowUpStore(app.ctx.sessions), app.ctx.service, app.ctx.tickets, follow_up_plan,
            app.ctx.desk.announce, poll_seconds=settings.follow_up_poll_seconds)
        if await asyncio.to_thread(app.ctx.accounts.ensure_admin, settings.admin_password):
            logger.info("created the first admin (user name: admin) from CAREDESK_ADMIN_PASSWORD")

    @app.listener("after_server_start")
    async def start_workers(app: Sanic, _loop: asyncio.AbstractEventLoop) -> None:
        app.ctx.delivery_task = asyncio.create_task(app.ctx.delivery.run())
        app.ctx.recovery_task = asyncio.create_task(route_unhandled(app))
        app.ctx.webhook_task = asyncio.create_task(app.ctx.webhooks.run())
        app.ctx.follow_up_task = asyncio.create_task(app.ctx.follow_ups.run())

    @app.listener("before_server_stop")
    async def stop_workers(app: Sanic, _loop: asyncio.AbstractEventLoop) -> None:
        app.ctx.delivery.stop()
        app.ctx.webhooks.stop()
        app.ctx.follow_ups.stop()
        await app.ctx.training.stop()
        tasks = (app.ctx.delivery_task, app.ctx.recovery_task, app.ctx.webhook_task,
                 app.ctx.follow_up_task)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    @app.listener("after_server_stop")
    async def close_resources(app: Sanic, _loop: asyncio.AbstractEventLoop) -> None:
        await app.ctx.assistant.close()
        await app.ctx.webhook_http.aclose()
        if app.ctx.telegram is not None:
            await app.ctx.telegram.stop()
        app.ctx.engine.dispose()
        app.ctx.tracker.dispose()

    @app.on_response
    async def security_headers(request: Request, response: HTTPResponse) -> None:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        if (response.content_type or "").startswith("text/html"):
            response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)

    return app


def _poster(client: httpx.AsyncClient):  # type: ignore[no-untyped-def]
    """Posts a signed webhook body; the status code decides success."""
    async def post(url: str, body: bytes, headers: Dict[str, str]) -> int:
        return (await client.post(url, content=body, headers=headers)).status_code
    return post


async def route_unhandled(app: Sanic) -> Optional[int]:
    """Routes customer messages a previous gateway process stored but never routed, and
    hands over conversations it flagged but did not ticket."""
    await app.ctx.desk.recover_flagged()
    pending = await asyncio.to_thread(app.ctx.store.unhandled_inbound)
    routed = 0
    for message in pending:
        try:
            # None: a resend of it reached this process first and was routed then
            routed += await app.ctx.service.route_stored(message) is not None
        except Exception:
            logger.exception("could not route stored message %s", message.id)
    if pending:
        logger.info("%d message(s) left unrouted by the last run: %d routed now, the others "
                    "when they were resent (or failed, logged above)", len(pending), routed)
    return routed
