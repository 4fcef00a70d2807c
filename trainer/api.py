"""The trainer's API (`/api/v1/trainer/`): the review inbox, decisions on its messages,
and the intents a message can be labelled with. Trainers and admins only.

Customers' words reach trainers with their personal data concealed (trainer.inbox,
trainer.transcripts); the original of one inbox message is revealed only for a reason,
which is recorded (trainer.reveals) and rate-limited on top of the staff API's limit."""

from __future__ import annotations

import asyncio
from typing import List

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse
from sanic.response import json as json_response

from ground.web.errors import ApiError
from ground.web.ids import is_id, parse_id
from ground.settings import Settings
from handoff.models import Role
from handoff.permissions import HANDLES_TICKETS
from handoff.staff_auth import limited, staff_member
from trainer.inbox import FILTERS
from trainer.masking import Span
from trainer.training_data import TrainingDataError
from trainer.transcripts import shown_transcript

TRAINERS = frozenset({Role.TRAINER, Role.ADMIN})
MAX_ITEMS = 200
MAX_SPANS = 20
# per trainer, besides the staff API's limit (TRAINER_REVEALS_PER_MINUTE changes it)
REVEALS_PER_MINUTE = Settings.trainer_reveals_per_minute
MAX_EVENT_ID_DIGITS = 15

trainer = Blueprint("trainer", url_prefix="/api/v1/trainer")

_CODES = {403: "forbidden", 404: "not_found", 409: "conflict", 422: "invalid"}


def refusal(status: int, message: str) -> ApiError:
    """The API error for a refusal of the trainer's stores (TrainingDataError, ModelStoreError)."""
    return ApiError(status, _CODES.get(status, "error"), message)


def _limit(request: Request) -> int:
    limit = parse_id(request.args.get("limit") or "50")
    if limit is None or not 0 < limit <= MAX_ITEMS:
        raise ApiError(422, "invalid", f"limit must be a whole number from 1 to {MAX_ITEMS}")
    return limit


@trainer.get("/inbox")
async def inbox(request: Request) -> HTTPResponse:
    await staff_member(request, roles=TRAINERS)
    wanted = request.args.get("filter") or None
    if wanted is not None and wanted not in FILTERS:
        raise ApiError(422, "invalid", f"filter must be one of {', '.join(FILTERS)}")
    include_decided = request.args.get("include_decided") or "false"
    if include_decided not in ("true", "false"):
        raise ApiError(422, "invalid", "include_decided must be true or false")
    items = await asyncio.to_thread(request.app.ctx.inbox.items, wanted,
                                    include_decided == "true", _limit(request))
    return json_response({"items": [item.to_json() for item in items],
                          "threshold": request.app.ctx.settings.trainer_low_confidence})


@trainer.get("/intents")
async def intents(request: Request) -> HTTPResponse:
    await staff_member(request, roles=TRAINERS)
    data = request.app.ctx.training_data
    known = await asyncio.to_thread(data.known_intents)
    entities = await asyncio.to_thread(data.known_entities)
    return json_response({"intents": sorted(i for i in known if not i.startswith("EXTERNAL_")),
                          "entities": sorted(entities)})


def _spans(raw: object) -> List[Span]:
    """The entity spans of a decision: [{"start", "end", "entity"}, ...]."""
    if raw is None:
        return []
    if not isinstance(raw, list) or len(raw) > MAX_SPANS or not all(
            isinstance(item, dict) and isinstance(item.get("entity"), str)
            and all(isinstance(item.get(k), int) and not isinstance(item.get(k), bool)
                    for k in ("start", "end")) for item in raw):
        raise ApiError(422, "invalid", "entities must be a list of at most "
                                       f"{MAX_SPANS} {{\"start\", \"end\", \"entity\"}}")
    return [Span(item["start"], item["end"], item["entity"]) for item in raw]


def _event_id(raw: str) -> int:
    if not (raw.isascii() and raw.isdigit()) or len(raw) > MAX_EVENT_ID_DIGITS:
        raise ApiError(404, "not_found", "no such customer message")
    return int(raw)


def _json_object(request: Request) -> dict:
    body = request.json
    if not isinstance(body, dict):
        raise ApiError(400, "bad_request", "the request body must be a JSON object")
    return body


@trainer.post("/inbox/<event_id:str>/decision")
async def decide(request: Request, event_id: str) -> HTTPResponse:
    member = await staff_member(request, roles=TRAINERS)
    message_id = _event_id(event_id)
    body = _json_object(request)
    verdict, intent = body.get("verdict"), body.get("intent")
    create_intent = body.get("create_intent", False)
    if not isinstance(verdict, str) or (intent is not None and not isinstance(intent, str)) \
            or not isinstance(create_intent, bool):
        raise ApiError(422, "invalid", "send {\"verdict\": \"confirm\"|\"correct\"|\"discard\", "
                                       "\"intent\": \"...\", \"create_intent\": false}")
    if verdict == "correct" and not intent:
        raise ApiError(422, "invalid", "a correction needs the right intent")
    try:
        decided = await asyncio.to_thread(request.app.ctx.reviews.decide, message_id, member,
                                          verdict, intent, create_intent,
                                          _spans(body.get("entities")))
    except TrainingDataError as error:
        raise refusal(error.status, error.message)
    return json_response(decided, status=201)


@trainer.post("/inbox/<event_id:str>/reveal")
async def reveal(request: Request, event_id: str) -> HTTPResponse:
    """One inbox message as the customer wrote it, for `{"reason": "..."}` (10-500
    characters), recorded with who and when before it is returned."""
    member = await staff_member(request, roles=TRAINERS)
    await limited(request.app.ctx.reveal_limit, f"reveal:{member.id}")
    message_id = _event_id(event_id)
    reason = _json_object(request).get("reason")
    if not isinstance(reason, str):
        raise ApiError(422, "invalid", "send {\"reason\": \"why you need the original\"}")
    try:
        revealed = await asyncio.to_thread(request.app.ctx.reveals.reveal, message_id, member,
                                           reason)
    except TrainingDataError as error:
        raise refusal(error.status, error.message)
    return json_response(revealed, headers={"Cache-Control": "no-store"})


@trainer.get("/conversations/<conversation_id:str>")
async def conversation(request: Request, conversation_id: str) -> HTTPResponse:
    """The whole conversation a reviewed message came from, as the customer saw it but with
    personal data concealed (trainer.transcripts)."""
    await staff_member(request, roles=TRAINERS)
    if len(conversation_id) > 64:
        raise ApiError(404, "not_found", "no such conversation")
    found = await asyncio.to_thread(request.app.ctx.store.conversation, conversation_id)
    if found is None:
        raise ApiError(404, "not_found", "no such conversation")
    messages = await request.app.ctx.desk.transcript(conversation_id)
    return json_response({"id": conversation_id, "messages": await asyncio.to_thread(
        shown_transcript, messages, request.app.ctx.training_data.root)})


@trainer.post("/flags")
async def flag(request: Request) -> HTTPResponse:
    """An agent flags a customer message in a conversation they can see, for the trainers."""
    member = await staff_member(request, roles=HANDLES_TICKETS)
    body = request.json
    if not isinstance(body, dict):
        raise ApiError(400, "bad_request", "the request body must be a JSON object")
    message_id, note = body.get("message_id"), body.get("note")
    if not is_id(message_id) or (note is not None and not isinstance(note, str)):
        raise ApiError(422, "invalid", "send {\"message_id\": <customer message id>, \"note\": \"...\"}")
    try:
        flagged = await asyncio.to_thread(request.app.ctx.training_flags.flag, message_id,
                                          member, note)
    except TrainingDataError as error:
        raise refusal(error.status, error.message)
    return json_response(flagged, status=201)
