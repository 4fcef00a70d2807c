"""POST /telegram/webhook: Telegram's updates (registered only when Telegram is on).

Telegram proves itself with the secret it was given in setWebhook, echoed in the
X-Telegram-Bot-Api-Secret-Token header (compared in constant time). The update is stored
before the 200; routing to the assistant goes on after it, so Telegram never waits on
Rasa. A stored update that was never routed is routed when the gateway next starts.
"""

from __future__ import annotations

import hmac

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse, json

from bot.gateway.errors import ApiError

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"

telegram = Blueprint("telegram")


def _authentic(request: Request) -> bool:
    expected = request.app.ctx.settings.telegram_webhook_secret
    given = request.headers.get(SECRET_HEADER, "")
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


@telegram.post("/telegram/webhook")
async def webhook(request: Request) -> HTTPResponse:
    if not _authentic(request):
        raise ApiError(403, "forbidden", "missing or wrong secret token")
    update = request.json
    if not isinstance(update, dict):
        raise ApiError(400, "bad_request", "the request body must be a JSON object")
    if not isinstance(update.get("update_id"), int):
        raise ApiError(422, "invalid", "update_id is required")
    chat = ((update.get("message") or {}).get("chat") or {}).get("id") or (
        ((update.get("callback_query") or {}).get("message") or {}).get("chat") or {}).get("id")
    if chat is not None and not request.app.ctx.message_limit.allow(f"tg:{chat}"):
        raise ApiError(429, "too_many_requests", "too many messages from this chat")
    channel = request.app.ctx.telegram
    try:
        stored = await channel.store_update(update)
    except (KeyError, TypeError, ValueError) as error:
        raise ApiError(422, "invalid", f"not a Telegram update: {error}")
    if stored is not None:
        request.app.add_task(channel.route(stored))
    return json({"ok": True})
