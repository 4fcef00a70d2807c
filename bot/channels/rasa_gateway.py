"""Rasa's input channel for the CareDesk gateway (loaded by the Rasa server, not the gateway).

It is Rasa's REST channel with two differences: it accepts only requests that carry the
shared `RASA_CHANNEL_SECRET`, so nobody but the gateway can speak for a customer, and it
keeps the channel the customer really used (web, telegram) and the gateway's metadata on
the tracker. The URL is /webhooks/gateway/webhook. Only the gateway's own payloads, marked
as commands in the metadata, can reach Rasa as intents (conversations.typed_text). A
frequent question asked beside another request is answered as a message of its own
(bot/channels/second_requests.py); a message written while the customer waits for a person
is answered only when it is a quick question (bot/channels/queued_questions.py).
"""

from __future__ import annotations

import hmac
import os
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from rasa.core.channels.rest import RestInput

from bot.channels import queued_questions, second_requests, with_person
from conversations.channel_protocol import COMMAND_KEY, QUEUED_KEY, SECRET_HEADER, WITH_PERSON_KEY
from conversations.typed_text import as_typed_text

SECRET_ENV = "RASA_CHANNEL_SECRET"


def message_text(body: Dict[str, Any]) -> str:
    """What Rasa reads: the gateway's payload as it is, anything else as typed text, which
    can never be read as a command (a second check behind the gateway's own)."""
    text = str(body["message"])
    metadata = body.get("metadata")
    if isinstance(metadata, dict) and metadata.get(COMMAND_KEY) is True:
        return text
    return as_typed_text(text)


class GatewayInput(RestInput):
    """Messages relayed by the gateway; replies are returned in the HTTP response."""

    def __init__(self, secret: Optional[str] = None) -> None:
        self._secret = secret if secret is not None else os.environ.get(SECRET_ENV, "")
        if not self._secret:
            raise ValueError(f"{SECRET_ENV} must be set for the gateway channel")

    @classmethod
    def name(cls) -> Text:
        return "gateway"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        return cls((credentials or {}).get("secret") or None)

    def _extract_input_channel(self, req: Request) -> Text:
        return str((req.json or {}).get("input_channel") or self.name())

    def is_authorised(self, request: Request) -> bool:
        given = request.headers.get(SECRET_HEADER, "")
        return hmac.compare_digest(given.encode(), self._secret.encode())

    def blueprint(
        self, on_new_message: Callable[[UserMessage], Awaitable[None]]
    ) -> Blueprint:
        webhook = Blueprint("caredesk_gateway_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self.is_authorised(request):
                return response.json({"error": "forbidden"}, status=403)
            body = request.json if isinstance(request.json, dict) else None
            if not body or not body.get("sender") or not isinstance(body.get("message"), str):
                return response.json({"error": "sender and message are required"}, status=400)
            collector = CollectingOutputChannel()
            metadata = self.get_metadata(request)
            message = UserMessage(message_text(body), collector, str(body["sender"]),
                                  input_channel=self._extract_input_channel(request),
                                  metadata=metadata)
            # errors propagate: the gateway must know the assistant failed (500), unlike
            # Rasa's REST channel, which answers 200 with whatever it collected
            if isinstance(metadata, dict) and metadata.get(QUEUED_KEY) is True:
                await queued_questions.handle(request.app.ctx.agent, message)
            elif isinstance(metadata, dict) and metadata.get(WITH_PERSON_KEY) is True:
                await with_person.handle(request.app.ctx.agent, message)
            else:
                await second_requests.handle(request.app.ctx.agent, message)
            return response.json(collector.messages)

        return webhook
