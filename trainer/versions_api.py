"""The trainer's model API (`/api/v1/trainer/models`): start a training run, follow its
progress, compare a version with the active one (scores, F1 per intent, confusion matrix,
the gate's verdict), activate, and roll back. Trainers and admins; overriding the gate is
for admins only."""

from __future__ import annotations

import asyncio
import json
from typing import Any, Dict, Optional

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse, file
from sanic.response import json as json_response

from ground.events import next_event
from ground.web.live import watching
from ground.web.errors import ApiError, refuse_websocket
from handoff.staff_auth import staff_member
from trainer.activation import Activated, gate_for
from trainer.api import TRAINERS, refusal
from trainer.evaluation import CONFUSION_MATRIX, is_current, test_set_fingerprint
from trainer.hot_swap import RasaRefused, RasaUnreachable
from trainer.model_events import MODELS_TOPIC
from trainer.models import ModelStatus
from trainer.registry import ModelStoreError, VersionView

MAX_TEXT = 500

models = Blueprint("trainer_models", url_prefix="/api/v1/trainer/models")


def _store_error(error: ModelStoreError) -> ApiError:
    return refusal(error.status, error.message)


def _version_id(raw: str) -> int:
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 9:
        raise ApiError(404, "not_found", "no such model version")
    return int(raw)


def _optional_body(request: Request) -> Optional[Dict[str, Any]]:
    """The JSON object body, or None without a body. A body that is JSON but not an object
    (`null` included) is refused: it must not pass for no body."""
    if not request.body:
        return None
    body = request.json
    if not isinstance(body, dict):
        raise ApiError(400, "bad_request", "the request body must be a JSON object")
    return body


def _text(body: Optional[Dict[str, Any]], key: str) -> Optional[str]:
    """An optional short text field of a JSON object body (or of no body)."""
    if body is None:
        return None
    value = body.get(key)
    if value is not None and (not isinstance(value, str) or len(value) > MAX_TEXT):
        raise ApiError(422, "invalid", f"{key} must be a text of at most {MAX_TEXT} characters")
    return value.strip() or None if value is not None else None


def _shown(version: VersionView, test_set: str, with_intents: bool = False) -> Dict[str, Any]:
    """A version as JSON, saying whether its scores were measured on the current test set."""
    shown = version.to_json(with_intents)
    shown["scores_current"] = is_current(version.scores, test_set)
    return shown


async def _view(request: Request, version_id: int) -> VersionView:
    try:
        return await asyncio.to_thread(request.app.ctx.model_store.view, version_id)
    except ModelStoreError as error:
        raise _store_error(error)


@models.get("")
async def versions(request: Request) -> HTTPResponse:
    await staff_member(request, roles=TRAINERS)
    store = request.app.ctx.model_store
    listed = await asyncio.to_thread(store.versions)
    rollback = await asyncio.to_thread(store.rollback_target)
    active = next((v.id for v in listed if v.status == ModelStatus.ACTIVE), None)
    running = next((v.id for v in listed if v.status in ModelStatus.RUNNING), None)
    test_set = await asyncio.to_thread(test_set_fingerprint)
    return json_response({"versions": [_shown(v, test_set) for v in listed], "active": active,
                          "running": running,
                          "rollback_to": None if rollback is None else rollback.id})


@models.post("")
async def train(request: Request) -> HTTPResponse:
    """Starts a training run in the background: 202 with the new version."""
    member = await staff_member(request, roles=TRAINERS)
    note = _text(_optional_body(request), "note")
    try:
        version_id = await request.app.ctx.training.start("workbench", note, member.id)
    except ModelStoreError as error:
        raise _store_error(error)
    return json_response((await _view(request, version_id)).to_json(), status=202)


@models.get("/<version_id:str>")
async def version(request: Request, version_id: str) -> HTTPResponse:
    """One version beside the active one, with the gate's verdict when both are scored."""
    await staff_member(request, roles=TRAINERS)
    store = request.app.ctx.model_store
    shown = await _view(request, _version_id(version_id))
    active = await asyncio.to_thread(store.active)
    verdict = await asyncio.to_thread(gate_for, store, shown)
    test_set = await asyncio.to_thread(test_set_fingerprint)
    body: Dict[str, Any] = {
        "version": _shown(shown, test_set, with_intents=True),
        "active": None if active is None else _shown(active, test_set, with_intents=True),
        "gate": None if verdict is None else verdict.to_json(),
    }
    return json_response(body)


@models.get("/<version_id:str>/confusion-matrix.png")
async def confusion_matrix(request: Request, version_id: str) -> HTTPResponse:
    await staff_member(request, roles=TRAINERS)
    image = request.app.ctx.model_store.evaluation_dir(_version_id(version_id)) / CONFUSION_MATRIX
    if not image.is_file():
        raise ApiError(404, "not_found", "this version has no evaluation yet")
    return await file(image, mime_type="image/png", headers={"Cache-Control": "no-store"})


@models.post("/<version_id:str>/evaluation")
async def evaluate(request: Request, version_id: str) -> HTTPResponse:
    """(Re-)evaluates a version on the current test set, in the background: 202."""
    await staff_member(request, roles=TRAINERS)
    wanted = _version_id(version_id)
    await _view(request, wanted)
    try:
        await request.app.ctx.training.start_evaluation(wanted)
    except ModelStoreError as error:
        raise _store_error(error)
    return json_response({"id": wanted, "evaluating": True}, status=202)


def _activated(result: Activated) -> HTTPResponse:
    return json_response({"version": result.version.to_json(),
                          "gate": None if result.gate is None else result.gate.to_json(),
                          "served": result.served})


async def _switch(request: Request, switch: Any) -> HTTPResponse:
    """Runs an activation or rollback to its end even if the client goes away meanwhile
    (Rasa keeps loading the model; the store must then record the switch)."""
    try:
        return _activated(await asyncio.shield(asyncio.ensure_future(switch)))
    except ModelStoreError as error:
        raise _store_error(error)
    except RasaUnreachable as error:
        raise ApiError(503, "rasa_unavailable", f"{error}; nothing was changed")
    except RasaRefused as error:
        raise ApiError(502, "rasa_refused", f"{error}; nothing was changed")


@models.post("/<version_id:str>/activation")
async def activate(request: Request, version_id: str) -> HTTPResponse:
    """Activates a version if the gate lets it (or an admin overrides with a reason)."""
    member = await staff_member(request, roles=TRAINERS)
    wanted = _version_id(version_id)
    reason = _text(_optional_body(request), "override_reason")
    return await _switch(request, request.app.ctx.activation.activate(wanted, member, reason))


@models.post("/rollback")
async def rollback(request: Request) -> HTTPResponse:
    """Back to the version that was active before the current one."""
    member = await staff_member(request, roles=TRAINERS)
    return await _switch(request, request.app.ctx.activation.rollback(member))


@models.websocket("/ws")
async def watch_models(request: Request, ws: Any) -> None:
    """Pushes every change of the model versions (trainer.model_events) to a trainer's
    workbench, which then reloads the panel. The token comes as ?token=; a session that
    ends closes the socket (4401)."""
    token = request.args.get("token") or ""
    try:
        await staff_member(request, token=token, roles=TRAINERS)
    except ApiError as error:
        await refuse_websocket(ws, error)
        return

    async def still_allowed() -> bool:
        member = await asyncio.to_thread(request.app.ctx.accounts.authenticate, token)
        return member is not None and member.role in TRAINERS

    async with watching(request.app.ctx.events, MODELS_TOPIC, ws,
                        "your session has ended; log in again") as queue:
        # "ready" once the bus listens: the workbench reloads, then hears all
        await ws.send(json.dumps({"type": "ready"}))
        while True:
            await ws.send(json.dumps(await next_event(queue, ws, still_allowed)))
