"""The gateway's Sanic application factory.

The composition root of the gateway process. Everything it holds lives on `app.ctx` and is
built by listeners: here the database engine, the conversations (store, turn service, the
client to Rasa, the delivery worker) and the recovery of unrouted messages; then each
feature installs its own part (`<package>/gateway_setup.py`: blueprints, objects, workers
and their listeners). All of it is closed when the server stops.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Dict, Optional

from redis.asyncio import Redis
from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.orm import Session, sessionmaker

from bot.gateway.routes.conversations import conversations
from bot.gateway.routes.health import health
from bot.gateway.routes.help import help_centre
from bot.gateway.routes.openapi import openapi
from bot.gateway.routes.pages import pages
from bot.runtime import threaded_training, version_evaluation
from conversations.admission import Admission
from conversations.assistant import AssistantClient
from conversations.delivery import DELIVERIES_TOPIC, ChannelSender, DeliveryWorker
from conversations.service import ConversationService
from conversations.store import ConversationStore
from feedback import gateway_setup as feedback_part
from ground.database import create_database_engine
from ground.events import EventBus, InProcessEventBus
from ground.settings import Settings
from ground.web import clients, errors
from ground.web.ratelimit import rate_limiter
from ground.web.workers import keep_running
from handoff import gateway_setup as handoff_part
from needs import gateway_setup as needs_part
from reports import gateway_setup as reports_part
from reports.tracker import tracker_engine
from trainer import gateway_setup as trainer_part

logger = logging.getLogger(__name__)

REQUEST_MAX_BYTES = 64 * 1024
HELP_PAGES_PER_MINUTE = 120

# the chat page loads only its own scripts and styles and talks only to this server
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; form-action 'self'"
)


def create_app(settings: Settings, name: str = "caredesk_gateway") -> Sanic:
    """The gateway: the conversations' routes and workers here, then each feature's part
    (its blueprints, objects on app.ctx and listeners) in the order they build on."""
    if not settings.gateway_secret or not settings.rasa_channel_secret:
        raise RuntimeError("GATEWAY_SECRET and RASA_CHANNEL_SECRET must be set (make run creates .env)")
    app = Sanic(name)
    app.config.REQUEST_MAX_SIZE = REQUEST_MAX_BYTES
    app.config.WEBSOCKET_MAX_SIZE = REQUEST_MAX_BYTES
    app.config.FALLBACK_ERROR_FORMAT = "json"
    app.ctx.settings = settings
    app.ctx.evaluator = version_evaluation.command()  # the trainer's, with Rasa's fixes
    app.ctx.trainer = threaded_training.command()  # `rasa train`, its branches side by side
    app.ctx.events = event_bus(settings)
    # shared by the gateway processes (REDIS_URL): their rate limits; connects when first used
    app.ctx.redis = shared_redis(settings)
    clients.configure(app, settings)
    redis = app.ctx.redis
    app.ctx.message_limit = rate_limiter(redis, "message", settings.message_rate_per_minute)
    app.ctx.message_address_limit = rate_limiter(
        redis, "message_address", settings.message_rate_per_address_per_minute)
    app.ctx.conversation_limit = rate_limiter(redis, "conversation",
                                              settings.conversation_rate_per_minute)
    # the help centre's public pages, per client address
    app.ctx.help_limit = rate_limiter(redis, "help", HELP_PAGES_PER_MINUTE)
    errors.install(app)
    app.blueprint(conversations)
    app.blueprint(health)
    app.blueprint(openapi)
    app.blueprint(pages)
    app.blueprint(help_centre)
    if settings.telegram_enabled:
        from bot.gateway.routes.telegram import telegram

        app.blueprint(telegram)

    @app.listener("before_server_start")
    async def open_resources(app: Sanic, _loop: asyncio.AbstractEventLoop) -> None:
        await app.ctx.events.connect()
        engine = create_database_engine(settings.database_url)
        app.ctx.engine = engine
        app.ctx.sessions = sessionmaker(bind=engine, class_=Session, future=True,
                                        expire_on_commit=False)
        app.ctx.store = ConversationStore(app.ctx.sessions)
        app.ctx.tracker = tracker_engine(settings.tracker_db_url)  # read-only: reports, trainer
        app.ctx.assistant = AssistantClient(
            settings.rasa_url, settings.rasa_channel_secret, settings.action_health_url,
            settings.rasa_timeout_seconds, settings.rasa_token,
            slow_deadline_seconds=settings.rasa_slow_deadline_seconds,
        )
        senders: Dict[str, ChannelSender] = {}
        app.ctx.telegram = None
        if settings.telegram_enabled:
            from bot.channels.telegram import TelegramChannel

            if not settings.public_base_url:
                logger.warning("Telegram is on but PUBLIC_URL is empty: help-article links in "
                               "Telegram replies start with %s, which customers cannot open",
                               settings.public_url)
            app.ctx.telegram = TelegramChannel(settings)
            await app.ctx.telegram.start()
            senders["telegram"] = app.ctx.telegram
        app.ctx.delivery = DeliveryWorker(app.ctx.store, senders)
        app.ctx.service = ConversationService(
            app.ctx.store, app.ctx.assistant, app.ctx.events,
            admission=Admission(settings.rasa_max_in_flight),
            wait_notice_seconds=settings.rasa_wait_notice_seconds,
            typing_senders={"telegram": app.ctx.telegram} if app.ctx.telegram else {},
        )
        if app.ctx.telegram is not None:
            app.ctx.telegram.attach(app.ctx.service, app.ctx.store)

    # each part's before_server_start listeners run after the ones registered before it
    for part in (handoff_part, needs_part, feedback_part, reports_part, trainer_part):
        part.install(app, settings)

    keep_running(app, "delivery", lambda app: app.ctx.delivery)

    @app.listener("after_server_start")
    async def start_workers(app: Sanic, _loop: asyncio.AbstractEventLoop) -> None:
        app.ctx.delivery_wake_task = asyncio.create_task(
            app.ctx.delivery.wake_on(app.ctx.events, DELIVERIES_TOPIC))
        app.ctx.recovery_task = asyncio.create_task(route_unhandled(app))

    @app.listener("before_server_stop")
    async def stop_workers(app: Sanic, _loop: asyncio.AbstractEventLoop) -> None:
        tasks = (app.ctx.delivery_wake_task, app.ctx.recovery_task)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    @app.listener("after_server_stop")
    async def close_resources(app: Sanic, _loop: asyncio.AbstractEventLoop) -> None:
        await app.ctx.assistant.close()
        if app.ctx.telegram is not None:
            await app.ctx.telegram.stop()
        app.ctx.engine.dispose()
        app.ctx.tracker.dispose()
        await app.ctx.events.close()
        if app.ctx.redis is not None:
            await app.ctx.redis.close()

    @app.on_response
    async def security_headers(request: Request, response: HTTPResponse) -> None:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        if (response.content_type or "").startswith("text/html"):
            response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)

    return app


def shared_redis(settings: Settings) -> Optional[Redis]:
    """The Redis client the gateway processes share their rate limits through, if any."""
    if not settings.redis_url:
        return None
    return Redis.from_url(settings.redis_url, health_check_interval=30)


def event_bus(settings: Settings) -> EventBus:
    """Redis pub/sub when REDIS_URL is set (several gateway processes), else in memory."""
    if settings.redis_url:
        from ground.redis_events import RedisEventBus

        return RedisEventBus(settings.redis_url)
    return InProcessEventBus()


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
