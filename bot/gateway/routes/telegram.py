"""POST /telegram/webhook: Telegram's updates (registered only when Telegram is on).

Telegram proves itself with the secret it was given in setWebhook, echoed in the
X-Telegram-Bot-Api-Secret-Token header (compared in constant time). The update is stored
before the 200; routing to the assistant goes on after it, so Telegram never waits on
Rasa. A stored update that was never routed is routed when the gateway next starts.
"""

from __future__ import annotations

import hmac
from typing import Any

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse, json

from ground.web.errors import ApiError
from ground.web.ids import MAX_ID

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"

telegram = Blueprint("telegram")


def _authentic(request: Request) -> bool:
    expected = request.app.ctx.settings.telegram_webhook_secret
    given = request.headers.get(SECRET_HEADER, "")
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


def _dig(value: Any, *keys: str) -> Any:
    """value[k1][k2]..., or None where a level is missing or not an object."""
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


@telegram.post("/telegram/webhook")
async def webhook(request: Request) -> HTTPResponse:
    if not _authentic(request):
        raise ApiError(403, "forbidden", "missing or wrong secret token")
    update = request.json
    if not isinstance(update, dict):
        raise ApiError(400, "bad_request", "the request body must be a JSON object")
    update_id = update.get("update_id")
    if not isinstance(update_id, int) or isinstance(update_id, bool) or not 0 <= update_id <= MAX_ID:
        raise ApiError(422, "invalid", "update_id is required (a whole number)")
    for kind in ("message", "callback_query"):
        if update.get(kind) is not None and not isinstance(update[kind], dict):
            raise ApiError(422, "invalid", f"{kind} must be an object")
    chat = _dig(update, "message", "chat", "id") or _dig(update, "callback_query", "message",
                                                             "chat", "id")
    if chat is not None and await request.app.ctx.message_limit.take(f"tg:{chat}"):
        raise ApiError(429, "too_many_requests", "too many messages from this chat")
    channel = request.app.ctx.telegram
    try:
        stored = await channel.store_update(update)
    except (KeyError, TypeError, ValueError, AttributeError) as error:  # python-telegram-bot's parsing
        raise ApiError(422, "invalid", f"not a Telegram update: {error}")
    if stored is not None:
        request.app.add_task(channel.route(stored))
    return json({"ok": True})
