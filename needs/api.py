"""Requirement sheets for staff: the list, one sheet as JSON, and its Markdown export.

Staff who handle customers (and admins) may ask; trainers and customers may not. A sheet
follows its conversation's tickets (needs/visibility.py): a member reads it only when they
may see a ticket of that conversation, admins always. The list holds only those sheets; a
sheet the member may not read is answered 404, like one that does not exist, so ids tell
nothing.
"""

from __future__ import annotations

import asyncio
from typing import Optional

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse, text
from sanic.response import json as json_response

from ground.web.errors import ApiError
from ground.web.ids import parse_id
from handoff.staff_auth import staff_member
from needs.export import to_json, to_markdown

MAX_LIST = 200

requirements = Blueprint("requirements", url_prefix="/api/v1")


def _requirement_id(raw: str) -> int:
    requirement_id = parse_id(raw)
    if requirement_id is None:
        raise ApiError(404, "not_found", "no such requirement")
    return requirement_id


async def _requirement(request: Request, raw_id: str) -> dict:
    member = await staff_member(request)
    found = await asyncio.to_thread(request.app.ctx.requirements.readable_one, member,
                                    _requirement_id(raw_id))
    if found is None:
        raise ApiError(404, "not_found", "no such requirement")
    return found


def _optional_int(request: Request, name: str) -> Optional[int]:
    raw = request.args.get(name) or None
    if raw is None:
        return None
    value = parse_id(raw)
    if value is None:
        raise ApiError(422, "invalid", f"{name} must be a whole number")
    return value


@requirements.get("/requirements")
async def list_requirements(request: Request) -> HTTPResponse:
    member = await staff_member(request)
    conversation_id = request.args.get("conversation_id") or None
    if conversation_id is not None and len(conversation_id) > 64:
        raise ApiError(422, "invalid", "conversation_id is too long")
    limit = _optional_int(request, "limit")
    if limit is not None and not 0 < limit <= MAX_LIST:
        raise ApiError(422, "invalid", f"limit must be a whole number from 1 to {MAX_LIST}")
    found = await asyncio.to_thread(request.app.ctx.requirements.readable, member, conversation_id,
                                    _optional_int(request, "customer_id"), limit or 50)
    return json_response({"requirements": found})


@requirements.get("/requirements/<requirement_id:str>")
async def requirement_json(request: Request, requirement_id: str) -> HTTPResponse:
    return json_response(to_json(await _requirement(request, requirement_id)))


@requirements.get("/requirements/<requirement_id:str>/markdown")
async def requirement_markdown(request: Request, requirement_id: str) -> HTTPResponse:
    found = await _requirement(request, requirement_id)
    return text(to_markdown(found), content_type="text/markdown; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{found["reference"]}.md"'})
