"""The returns desk in the staff console (/agent/returns): what waits for the desk (returns
whose parcel has not arrived; returns received and not yet refunded) and recording a
parcel's arrival or a refund paid, as `make returns` does (see bot/gateway/openapi.yml).

company.returns_desk decides; this only asks it. Like every staff endpoint, each call
authenticates the staff bearer token, is rate-limited per user and checks the role
(handoff.staff_auth): staff who handle tickets and admins (handoff.permissions.
HANDLES_TICKETS), not trainers; a refund paid only operations experts and admins (handoff.
permissions.may_record_refunds: 403 for the others, and the listing says which the member
is, so the page offers the button only to them). An unknown return is 404, one out of order (a refund before
its parcel arrived, an arrival before its registration) 409 with the desk's reason, a body
that is not a JSON object or a time that is no ISO date or lies in the future 400.
Recording twice keeps the first record and answers with the return as it stands. Each record
keeps the user name of the staff member who made it.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any, Callable, Dict, Optional

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse
from sanic.response import json as json_response
from sqlalchemy.orm import sessionmaker

from company.money import format_pence
from company.returns_desk import (
    BadMoment,
    DeskEntry,
    ReturnsDeskError,
    UnknownReturn,
    awaiting_parcel,
    awaiting_refund,
    desk_entry,
    moment,
    record_received,
    record_refunded,
)
from ground.clock import utcnow
from ground.web.errors import ApiError
from handoff.permissions import HANDLES_TICKETS, may_record_refunds
from handoff.staff_auth import staff_member

DEFAULT_LIMIT = 100
MAX_LIMIT = 200
MAX_RMA = 32  # longer than any reference (RMA-123456): no such return
MAX_REFERENCE = 40

returns_desk = Blueprint("returns_desk", url_prefix="/api/v1")

RECORDS: Dict[str, Callable[..., Any]] = {"received": record_received,
                                          "refunded": record_refunded}


def _iso(at: Optional[datetime]) -> Optional[str]:
    return at.isoformat() + "Z" if at is not None else None


def _shown(entry: DeskEntry) -> Dict[str, Any]:
    return {
        "rma": entry.rma,
        "order_number": entry.order_number,
        "products": list(entry.products),
        "reason": entry.reason,
        "refund_pence": entry.refund_pence,
        "refund": format_pence(entry.refund_pence),
        "registered_at": _iso(entry.registered_at),
        "received_at": _iso(entry.received_at),
        "received_by": entry.received_by,
        "refunded_at": _iso(entry.refunded_at),
        "refunded_by": entry.refunded_by,
        "refund_due": entry.refund_due.isoformat() if entry.refund_due else None,
        "overdue": entry.overdue,
        "stage": entry.stage,
    }


def _limit(raw: Optional[str]) -> int:
    if raw is None or raw == "":
        return DEFAULT_LIMIT
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_LIMIT:
        raise ApiError(400, "bad_request", f"limit must be a whole number from 1 to {MAX_LIMIT}")
    return int(raw)


def _reference(raw: Optional[str]) -> Optional[str]:
    """The `q` searched for: an RMA or an order number, as typed."""
    if raw is None or not raw.strip():
        return None
    if len(raw) > MAX_REFERENCE:
        raise ApiError(400, "bad_request",
                       f"q must be an RMA or an order number (at most {MAX_REFERENCE} characters)")
    return raw


def _listing(sessions: sessionmaker, limit: int, reference: Optional[str],
             records_refunds: bool) -> Dict[str, Any]:
    now = utcnow()
    with sessions() as session:
        parcels, parcels_total = awaiting_parcel(session, now, limit, reference)
        refunds, refunds_total = awaiting_refund(session, now, limit, reference)
    return {"awaiting_parcel": [_shown(entry) for entry in parcels],
            "awaiting_refund": [_shown(entry) for entry in refunds],
            "totals": {"awaiting_parcel": parcels_total, "awaiting_refund": refunds_total},
            "limit": limit, "may_record_refunds": records_refunds}


@returns_desk.get("/returns")
async def waiting(request: Request) -> HTTPResponse:
    """Returns awaiting their parcel (newest first) and returns awaiting their refund (the
    one due first first), each at most `limit`, only those of `q` (an RMA or an order number)
    if one is given, with how many there are in all."""
    member = await staff_member(request, roles=HANDLES_TICKETS)
    limit = _limit(request.args.get("limit"))
    reference = _reference(request.args.get("q"))
    listing = await asyncio.to_thread(_listing, request.app.ctx.sessions, limit, reference,
                                      may_record_refunds(member))
    return json_response(listing, headers={"Cache-Control": "no-store"})


def _at(request: Request) -> Optional[str]:
    """The body's `at`, if any: no body, `{}` and a null `at` mean now."""
    if not request.body:
        return None
    body = request.json
    if not isinstance(body, dict):
        raise ApiError(400, "bad_request", "the request body must be a JSON object")
    at = body.get("at")
    if at is not None and (not isinstance(at, str) or not at):
        raise ApiError(400, "bad_request",
                       "at must be an ISO date or date and time (2026-12-04 or 2026-12-04T10:30)")
    return at


def _record(sessions: sessionmaker, what: str, rma: str, text: Optional[str],
            by: str) -> Dict[str, Any]:
    now = utcnow()
    at = moment(text, now)
    with sessions() as session:
        return _shown(desk_entry(RECORDS[what](session, rma, at, by=by), now))


async def _recorded(request: Request, what: str, rma: str) -> HTTPResponse:
    member = await staff_member(request, roles=HANDLES_TICKETS)
    if what == "refunded" and not may_record_refunds(member):
        raise ApiError(403, "forbidden",
                       "only operations experts and admins record a refund as paid")
    text = _at(request)
    if len(rma) > MAX_RMA:
        raise ApiError(404, "not_found", "no such return")
    try:
        shown = await asyncio.to_thread(_record, request.app.ctx.sessions, what, rma, text,
                                        member.username)
    except BadMoment as error:
        raise ApiError(400, "bad_request", f"at {error}")
    except UnknownReturn as error:
        raise ApiError(404, "not_found", str(error))
    except ReturnsDeskError as error:
        raise ApiError(409, "conflict", str(error))
    return json_response({"return": shown})


@returns_desk.post("/returns/<rma:str>/received")
async def parcel_received(request: Request, rma: str) -> HTTPResponse:
    """The return's parcel reached us (`at`, default now)."""
    return await _recorded(request, "received", rma)


@returns_desk.post("/returns/<rma:str>/refunded")
async def refund_paid(request: Request, rma: str) -> HTTPResponse:
    """The return's refund was paid (`at`, default now); only after its parcel arrived, and
    only by an operations expert or an admin."""
    return await _recorded(request, "refunded", rma)
