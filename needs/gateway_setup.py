"""The requirements' part of the gateway: the staff API for 5W1H sheets and the worker that
delivers each confirmed sheet to the teams' webhook (app.ctx.requirements, webhooks)."""

from __future__ import annotations

import asyncio
from typing import Dict

import httpx
from sanic import Sanic

from ground.settings import Settings
from ground.web.workers import keep_running
from needs.api import requirements
from needs.records import RequirementStore
from needs.webhook import WebhookDispatcher


def install(app: Sanic, settings: Settings) -> None:
    if not settings.requirements_webhook_secret:
        raise RuntimeError("REQUIREMENTS_WEBHOOK_SECRET must be set to sign the requirements "
                           "webhook (make run creates .env)")
    app.blueprint(requirements)

    @app.listener("before_server_start")
    async def open_requirements(app: Sanic, _loop: asyncio.AbstractEventLoop) -> None:
        app.ctx.requirements = RequirementStore(app.ctx.sessions)
        app.ctx.webhook_http = httpx.AsyncClient(timeout=httpx.Timeout(10.0, connect=3.0))
        app.ctx.webhooks = WebhookDispatcher(
            app.ctx.sessions, settings.requirements_webhook_secret, _poster(app.ctx.webhook_http),
            first_retry_seconds=settings.requirements_webhook_first_retry_seconds)

    keep_running(app, "webhook", lambda app: app.ctx.webhooks)

    @app.listener("after_server_stop")
    async def close_http(app: Sanic, _loop: asyncio.AbstractEventLoop) -> None:
        await app.ctx.webhook_http.aclose()


def _poster(client: httpx.AsyncClient):  # type: ignore[no-untyped-def]
    """Posts a signed webhook body; the status code decides success."""
    async def post(url: str, body: bytes, headers: Dict[str, str]) -> int:
        return (await client.post(url, content=body, headers=headers)).status_code
    return post
