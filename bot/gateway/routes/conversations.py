"""The customer API of web conversations: /api/v1/conversations (see bot/gateway/openapi.yml).

A customer creates a conversation and gets a token for it; every later call carries the
token and reaches only that conversation. Text is validated before anything is stored;
a stored message is never lost, whatever happens after.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any, Dict, Optional

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse
from sanic.response import json as json_response

from ground.web.auth import InvalidToken, bearer, grant_of, issue_customer_token
from ground.web.clients import client_address
from ground.web.live import watching
from ground.web.errors import ApiError, refuse_websocket
from ground.events import next_event
from ground.web.ids import client_message_id, parse_id
from ground.web.ratelimit import limited
from conversations.store import ConversationRecord

MAX_TEXT_LENGTH = 4000
PAGE_LIMIT = 200

conversations = Blueprint("conversations", url_prefix="/api/v1/conversations")


async def _authorised(request: Request, conversation_id: str,
                      token: Optional[str]) -> ConversationRecord:
    """The conversation, when `token` grants it; 401/403/404 otherwise."""
    if not token:
        raise ApiError(401, "unauthorized", "missing token: send Authorization: Bearer <token>")
    try:
        grant = grant_of(request.app.ctx.settings.gateway_secret, token)
    except InvalidToken:
        raise ApiError(401, "unauthorized", "invalid or expired token")
    if grant.conversation_id != conversation_id:
        raise ApiError(403, "forbidden", "this token does not grant that conversation")
    conversation = await asyncio.to_thread(request.app.ctx.store.conversation, conversation_id)
    if conversation is None:
        raise ApiError(404, "not_found", "no such conversation")
    if grant.generation != conversation.token_generation:
        raise ApiError(401, "unauthorized", "this token was revoked; start a new conversation")
    return conversation


def _body(request: Request) -> Dict[str, Any]:
    body = request.json  # bad JSON raises Sanic's 400
    if not isinstance(body, dict):
        raise ApiError(400, "bad_request", "the request body must be a JSON object")
    return body


def validate_message(body: Dict[str, Any]) -> Dict[str, Optional[str]]:
    """`text` or a button `payload` (exactly one), and an optional `client_message_id`."""
    text, payload = body.get("text"), body.get("payload")
    if (text is None) == (payload is None):
        raise ApiError(422, "invalid", "send either \"text\" or \"payload\"")
    client_id = client_message_id(body)
    if text is not None:
        if not isinstance(text, str) or not text.strip():
            raise ApiError(422, "invalid", "text must be a non-empty string")
        if len(text) > MAX_TEXT_LENGTH:
            raise ApiError(422, "invalid",
                           f"text is longer than {MAX_TEXT_LENGTH} characters ({len(text)})")
        return {"text": text, "payload": None, "client_message_id": client_id}
    # an intent ("/affirm") or words the button sends for the customer ("It's faulty"); either
    # way only a payload the assistant offered in this conversation is taken (post_message)
    if not isinstance(payload, str) or not payload.strip() or len(payload) > 400:
        raise ApiError(422, "invalid", "payload must be the payload of a button the bot offered")
    return {"text": None, "payload": payload, "client_message_id": client_id}


@conversations.post("/")
async def create_conversation(request: Request) -> HTTPResponse:
    """A new conversation. A browser that sends its previous conversation's token (as the
    bearer) ends that one's access: a shared computer does not keep it open."""
    await limited(request.app.ctx.conversation_limit, client_address(request))
    previous = bearer(request.headers.get("authorization"))
    if previous:
        try:
            grant = grant_of(request.app.ctx.settings.gateway_secret, previous)
            await _authorised(request, grant.conversation_id, previous)
        except (InvalidToken, ApiError):
            pass  # nothing valid to end; the new conversation is made all the same
        else:
            await asyncio.to_thread(request.app.ctx.store.revoke_customer_tokens,
                                    grant.conversation_id)
            # a customer who leaves the queue this way no longer waits: the ticket leaves it too
            # while nobody has taken it (a staff run: a person worked a case, and replied into
            # a chat nobody could read any more)
            desk = getattr(request.app.ctx, "desk", None)
            if desk is not None:
                await desk.customer_withdrew(grant.conversation_id)
    record = await asyncio.to_thread(request.app.ctx.store.create_web_conversation)
    token = issue_customer_token(request.app.ctx.settings.gateway_secret, record.id,
                                 record.token_generation)
    return json_response({"id": record.id, "token": token, "state": record.state}, status=201)


@conversations.post("/<conversation_id:str>/token")
async def refresh_token(request: Request, conversation_id: str) -> HTTPResponse:
    """A fresh token (a new week) for a conversation whose token is still valid."""
    await limited(request.app.ctx.conversation_limit, client_address(request))
    conversation = await _authorised(request, conversation_id,
                                     bearer(request.headers.get("authorization")))
    token = issue_customer_token(request.app.ctx.settings.gateway_secret, conversation.id,
                                 conversation.token_generation)
    return json_response({"id": conversation.id, "token": token})


@conversations.post("/<conversation_id:str>/messages")
async def post_message(request: Request, conversation_id: str) -> HTTPResponse:
    conversation = await _authorised(request, conversation_id, bearer(request.headers.get("authorization")))
    address = client_address(request)
    await limited(request.app.ctx.message_limit, conversation_id)
    await limited(request.app.ctx.message_address_limit, address)
    fields = validate_message(_body(request))
    if fields["payload"] is not None:
        title = await asyncio.to_thread(request.app.ctx.store.offered_title, conversation_id, fields["payload"])
        if title is None:
            raise ApiError(422, "invalid", "that button is not offered in this conversation")
        fields["text"] = title  # the transcript shows what was pressed
    routing = asyncio.ensure_future(request.app.ctx.service.handle(
        conversation,
        text=fields["text"],
        payload=fields["payload"],
        kind="button" if fields["payload"] else "text",
        client_message_id=fields["client_message_id"],
        client_address=address,
    ))
    # a turn waiting for a busy assistant may outlast the request (Sanic's response
    # timeout, a closed tab): it goes on all the same, and its replies reach the
    # WebSocket and a resend of the message
    result = await asyncio.shield(routing)
    return json_response({
        "message": result.message.to_json(),
        "replies": [reply.to_json() for reply in result.replies],
        "state": result.state,
    })


@conversations.get("/<conversation_id:str>/messages")
async def list_messages(request: Request, conversation_id: str) -> HTTPResponse:
    conversation = await _authorised(request, conversation_id, bearer(request.headers.get("authorization")))
    after = _cursor(request.args.get("after"))
    messages = await asyncio.to_thread(
        request.app.ctx.store.messages_after, conversation_id, after, PAGE_LIMIT
    )
    return json_response({
        "messages": [m.to_json() for m in messages],
        "cursor": messages[-1].id if messages else after,
        "state": conversation.state,
    })


def _cursor(raw: Optional[str]) -> int:
    if raw in (None, ""):
        return 0
    cursor = parse_id(raw)
    if cursor is None:
        raise ApiError(422, "invalid", "after must be a message id (a non-negative integer)")
    return cursor


@conversations.websocket("/<conversation_id:str>/ws")
async def watch(request: Request, ws: Any, conversation_id: str) -> None:
    """Pushes every new message of the conversation. Browsers cannot set headers on a
    WebSocket, so the token comes as ?token=; ?after= replays what the client missed."""
    try:
        token = request.args.get("token") or bearer(request.headers.get("authorization"))
        await _authorised(request, conversation_id, token)
        after = _cursor(request.args.get("after"))
    except ApiError as error:
        await refuse_websocket(ws, error)
        return

    async def still_granted() -> bool:
        try:
            await _authorised(request, conversation_id, token)
        except ApiError:
            return False
        return True

    async with watching(request.app.ctx.events, conversation_id, ws,
                        "this token was revoked; start a new conversation") as queue:
        missed = await asyncio.to_thread(
            request.app.ctx.store.messages_after, conversation_id, after, PAGE_LIMIT
        )
        sent_up_to = after
        for message in missed:
            await ws.send(json.dumps({"type": "message", "message": message.to_json()}))
            sent_up_to = message.id
        await ws.send(json.dumps({"type": "ready", "cursor": sent_up_to}))
        while True:
            event = await next_event(queue, ws, still_granted)
            message = event.get("message")
            if message and message["id"] <= sent_up_to:
                continue  # already sent from the database
            await ws.send(json.dumps(event))
