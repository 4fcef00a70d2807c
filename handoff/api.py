"""The staff API: log in, see the queue, claim, reply, note, transfer, resolve; users for
admins; a WebSocket for the live console (see bot/gateway/openapi.yml).

Every endpoint authenticates a staff bearer token (a customer's token reaches nothing
here), checks the role and, through handoff.permissions, the ticket's routing and owner,
and is rate-limited per user; logins are rate-limited per client address and slowed with
growing delays per (user name, address) (handoff.login_throttle), never for a user
logging in from elsewhere.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any, Dict

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse
from sanic.response import json as json_response

from ground.web.auth import bearer
from ground.web.clients import client_address
from ground.web.live import watching
from ground.web.errors import ApiError, refuse_websocket
from ground.events import STAFF_TOPIC, next_event
from ground.web.ids import MAX_ID, client_message_id, is_id, parse_id
from handoff.accounts import MAX_PASSWORD_LENGTH, MAX_USERNAME_LENGTH, AccountError, UsernameTaken
from handoff.models import Role, TicketStatus
from handoff.permissions import HANDLES_TICKETS, can_see
from ground.web.ratelimit import limited as _limited
from handoff.staff_auth import staff_member as _member
from handoff.suggestions import suggestions
from handoff.team_hours import reply_hours
from handoff.tickets import TicketError

MAX_REPLY = 4000

staff = Blueprint("staff", url_prefix="/api/v1")


def _json_body(request: Request) -> Dict[str, Any]:
    body = request.json
    if not isinstance(body, dict):
        raise ApiError(400, "bad_request", "the request body must be a JSON object")
    return body


def _ticket_call(error: TicketError) -> ApiError:
    codes = {403: "forbidden", 404: "not_found", 409: "conflict", 422: "invalid"}
    return ApiError(error.status, codes.get(error.status, "error"), error.message)


def _ticket_id(raw: str) -> int:
    ticket_id = parse_id(raw)
    if ticket_id is None:
        raise ApiError(404, "not_found", "no such ticket")
    return ticket_id


# --- sessions ------------------------------------------------------------------------------
@staff.post("/auth/login")
async def login(request: Request) -> HTTPResponse:
    body = _json_body(request)
    username, password = body.get("username"), body.get("password")
    if not isinstance(username, str) or not isinstance(password, str) or not username or not password:
        raise ApiError(422, "invalid", "username and password are required strings")
    if len(username) > MAX_USERNAME_LENGTH or len(password) > MAX_PASSWORD_LENGTH:
        raise ApiError(422, "invalid", "username or password too long")
    address = client_address(request)
    await _limited(request.app.ctx.login_limit, f"addr:{address}")
    throttle = request.app.ctx.login_throttle
    wait = await throttle.wait(username, address)
    if wait:
        raise ApiError(429, "too_many_requests",
                       f"too many failed logins from here; try again in {wait} s",
                       headers={"Retry-After": str(wait)})
    result = await asyncio.to_thread(request.app.ctx.accounts.login, username, password)
    if result is None:
        await throttle.failed(username, address)
        raise ApiError(401, "unauthorized", "wrong user name or password")
    await throttle.succeeded(username, address)
    token, member = result
    return json_response({"token": token, "user": member.to_json()})


@staff.post("/auth/logout")
async def logout(request: Request) -> HTTPResponse:
    token = bearer(request.headers.get("authorization")) or ""
    await _member(request, token, frozenset(Role.ALL))
    await asyncio.to_thread(request.app.ctx.accounts.logout, token)
    return json_response({"ok": True})


@staff.get("/me")
async def me(request: Request) -> HTTPResponse:
    member = await _member(request, roles=frozenset(Role.ALL))
    return json_response({"user": member.to_json()})


# --- tickets -------------------------------------------------------------------------------
@staff.get("/tickets")
async def list_tickets(request: Request) -> HTTPResponse:
    member = await _member(request)
    status = request.args.get("status") or None
    if status is not None and status not in TicketStatus.ALL:
        raise ApiError(422, "invalid", f"status must be one of {', '.join(TicketStatus.ALL)}")
    tier_raw = request.args.get("tier") or None
    if tier_raw is not None and tier_raw not in ("1", "2", "3"):
        raise ApiError(422, "invalid", "tier must be 1, 2 or 3")
    conversation_id = request.args.get("conversation_id") or None
    if conversation_id is not None and len(conversation_id) > 64:
        raise ApiError(422, "invalid", "conversation_id is too long")
    tickets = await asyncio.to_thread(
        request.app.ctx.tickets.list, member, status, int(tier_raw) if tier_raw else None,
        conversation_id)
    sla = await asyncio.to_thread(request.app.ctx.tickets.sla_counts)
    return json_response({"tickets": tickets, "sla": sla})


@staff.get("/tickets/<ticket_id:str>")
async def ticket_detail(request: Request, ticket_id: str) -> HTTPResponse:
    member = await _member(request)
    try:
        ticket = await asyncio.to_thread(request.app.ctx.tickets.detail, _ticket_id(ticket_id), member)
    except TicketError as error:
        raise _ticket_call(error)
    ticket["transcript"] = await request.app.ctx.desk.transcript(ticket["conversation_id"])
    # the needs sheets this customer confirmed here, so nobody asks them again (whoever
    # sees the ticket reads them; needs/visibility.py decides, as for the sheets API)
    ticket["requirements"] = await asyncio.to_thread(request.app.ctx.requirements.readable,
                                                     member, ticket["conversation_id"])
    settings = request.app.ctx.settings
    ticket["suggestions"] = suggestions(ticket["reasons"], ticket["context"].get("intents") or [],
                                        reply_hours(settings.support_hours, settings.support_timezone))
    return json_response(ticket)


@staff.post("/tickets/<ticket_id:str>/claim")
async def claim(request: Request, ticket_id: str) -> HTTPResponse:
    member = await _member(request)
    try:
        await request.app.ctx.desk.claim(_ticket_id(ticket_id), member)
    except TicketError as error:
        raise _ticket_call(error)
    return json_response({"ok": True, "owner": member.to_json()})


def _text(body: Dict[str, Any], field: str = "text") -> str:
    text = body.get(field)
    if not isinstance(text, str) or not text.strip():
        raise ApiError(422, "invalid", f"{field} must be a non-empty string")
    if len(text) > MAX_REPLY:
        raise ApiError(422, "invalid", f"{field} is longer than {MAX_REPLY} characters")
    return text.strip()


@staff.post("/tickets/<ticket_id:str>/messages")
async def reply(request: Request, ticket_id: str) -> HTTPResponse:
    """201 with the stored reply; 200 with the same one when it is resent with the same
    `client_message_id` (stored and delivered once)."""
    member = await _member(request)
    body = _json_body(request)
    text, client_id = _text(body), client_message_id(body)
    try:
        message, new = await request.app.ctx.desk.reply(_ticket_id(ticket_id), member, text,
                                                        client_id)
    except TicketError as error:
        raise _ticket_call(error)
    return json_response({"message": message.to_json()}, status=201 if new else 200)


@staff.post("/tickets/<ticket_id:str>/notes")
async def note(request: Request, ticket_id: str) -> HTTPResponse:
    member = await _member(request)
    text = _text(_json_body(request))
    try:
        await request.app.ctx.desk.note(_ticket_id(ticket_id), member, text)
    except TicketError as error:
        raise _ticket_call(error)
    return json_response({"ok": True}, status=201)


@staff.post("/tickets/<ticket_id:str>/transfer")
async def transfer(request: Request, ticket_id: str) -> HTTPResponse:
    member = await _member(request)
    body = _json_body(request)
    tier, to_user, skill = body.get("tier"), body.get("to_user"), body.get("skill")
    for name, value in (("tier", tier), ("to_user", to_user)):
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            raise ApiError(422, "invalid", f"{name} must be an integer")
    if to_user is not None and not is_id(to_user):
        raise ApiError(422, "invalid", "to_user must be a staff member's id")
    if skill is not None and not isinstance(skill, str):
        raise ApiError(422, "invalid", "skill must be a string")
    try:
        await request.app.ctx.desk.transfer(_ticket_id(ticket_id), member, _text(body, "note"),
                                            tier, skill, to_user)
    except TicketError as error:
        raise _ticket_call(error)
    return json_response({"ok": True})


@staff.post("/tickets/<ticket_id:str>/resolve")
async def resolve(request: Request, ticket_id: str) -> HTTPResponse:
    member = await _member(request)
    body = _json_body(request)
    outcome = body.get("outcome")
    if not isinstance(outcome, str):
        raise ApiError(422, "invalid", "outcome must be a string")
    try:
        replies = await request.app.ctx.desk.resolve(_ticket_id(ticket_id), member, outcome,
                                                     _text(body, "note"))
    except TicketError as error:
        raise _ticket_call(error)
    return json_response({"ok": True, "bot_replies": [r.to_json() for r in replies]})


@staff.post("/tickets/<ticket_id:str>/customer-session/revocation")
async def end_customer_session(request: Request, ticket_id: str) -> HTTPResponse:
    """Ends the web customer's access to the conversation (every token issued so far)."""
    member = await _member(request)
    try:
        await request.app.ctx.desk.end_customer_session(_ticket_id(ticket_id), member)
    except TicketError as error:
        raise _ticket_call(error)
    return json_response({"ok": True})


# --- users (admins) ------------------------------------------------------------------------
ADMINS = frozenset({Role.ADMIN})


def _staff_id(user_id: int) -> int:
    """The path's staff id; 404 for one no account can have (Sanic's int takes any size)."""
    if not 0 < user_id <= MAX_ID:
        raise ApiError(404, "not_found", "no such staff member")
    return user_id


@staff.get("/staff")
async def list_staff(request: Request) -> HTTPResponse:
    await _member(request, roles=ADMINS)
    members = await asyncio.to_thread(request.app.ctx.accounts.all)
    return json_response({"staff": [m.to_json() for m in members]})


@staff.post("/staff")
async def create_staff(request: Request) -> HTTPResponse:
    await _member(request, roles=ADMINS)
    body = _json_body(request)
    fields = {k: body.get(k) for k in ("username", "password", "role", "display_name")}
    if not all(isinstance(fields[k], str) for k in ("username", "password", "role")):
        raise ApiError(422, "invalid", "username, password and role are required strings")
    if fields["display_name"] is not None and not isinstance(fields["display_name"], str):
        raise ApiError(422, "invalid", "display_name must be a string")
    skills = body.get("skills", [])
    capacity = body.get("capacity", 5)
    if not isinstance(skills, list) or not all(isinstance(s, str) for s in skills):
        raise ApiError(422, "invalid", "skills must be a list of strings")
    if not isinstance(capacity, int) or isinstance(capacity, bool):
        raise ApiError(422, "invalid", "capacity must be an integer")
    try:
        member = await asyncio.to_thread(
            request.app.ctx.accounts.create_user, fields["username"], fields["password"],
            fields["role"], fields["display_name"], skills, capacity)
    except UsernameTaken as error:
        raise ApiError(409, "conflict", str(error))
    except AccountError as error:
        raise ApiError(422, "invalid", str(error))
    return json_response({"user": member.to_json()}, status=201)


# what PATCH /staff/{id} changes; a role, skills, capacity or name are set when the account
# is made, and a request naming them is refused rather than half carried out
EDITABLE_STAFF_FIELDS = ("password", "active")


@staff.patch("/staff/<user_id:int>")
async def update_staff(request: Request, user_id: int) -> HTTPResponse:
    """Changes a password or (de)activates an account. Everything is checked before anything
    changes; a deactivation puts the tickets the member held back in the queue, in the same
    transaction."""
    admin = await _member(request, roles=ADMINS)
    body = _json_body(request)
    accounts, tickets = request.app.ctx.accounts, request.app.ctx.tickets
    if await asyncio.to_thread(accounts.member, _staff_id(user_id)) is None:
        raise ApiError(404, "not_found", "no such staff member")
    fixed = sorted(name for name in body if name not in EDITABLE_STAFF_FIELDS)
    if fixed:
        names = ", ".join(json.dumps(name[:40]) for name in fixed[:10]) + (
            ", ..." if len(fixed) > 10 else "")
        raise ApiError(422, "invalid", f"these fields cannot be changed here: {names} (only "
                                       f"{' and '.join(EDITABLE_STAFF_FIELDS)} can)")
    if "password" in body and not isinstance(body["password"], str):
        raise ApiError(422, "invalid", "password must be a string")
    if "active" in body:
        if not isinstance(body["active"], bool):
            raise ApiError(422, "invalid", "active must be true or false")
        if user_id == admin.id and not body["active"]:
            raise ApiError(422, "invalid", "you cannot deactivate yourself")
    try:
        if "password" in body:
            await asyncio.to_thread(accounts.set_password, user_id, body["password"])
        if "active" in body:
            released = await asyncio.to_thread(
                accounts.set_active, user_id, body["active"],
                lambda session, now: tickets.release_held(session, user_id, admin, now))
            await request.app.ctx.desk.released(released or [])
    except AccountError as error:
        raise ApiError(422, "invalid", str(error))
    member = await asyncio.to_thread(accounts.member, user_id)
    return json_response({"user": member.to_json()})


@staff.post("/staff/<user_id:int>/customers")
async def assign_customer(request: Request, user_id: int) -> HTTPResponse:
    await _member(request, roles=ADMINS)
    customer_id = _json_body(request).get("customer_id")
    if not is_id(customer_id):
        raise ApiError(422, "invalid", "customer_id must be a customer's id (a positive integer)")
    if await asyncio.to_thread(request.app.ctx.accounts.member, _staff_id(user_id)) is None:
        raise ApiError(404, "not_found", "no such staff member")
    try:
        await asyncio.to_thread(request.app.ctx.accounts.assign_customer, customer_id, user_id)
    except AccountError as error:
        raise ApiError(422, "invalid", str(error))
    return json_response({"ok": True}, status=201)


# --- live console --------------------------------------------------------------------------
@staff.websocket("/staff/ws")
async def watch_queue(request: Request, ws: Any) -> None:
    """Pushes ticket changes and new messages of the tickets this member may see. The
    token comes as ?token= (browsers cannot set WebSocket headers). The session is checked
    again every few seconds: a logout, a deactivation or a password change closes the
    socket (4401), and the member's current role decides what they see."""
    token = request.args.get("token") or ""
    try:
        member = await _member(request, token)
    except ApiError as error:
        await refuse_websocket(ws, error)
        return

    async def still_logged_in() -> bool:
        nonlocal member
        current = await asyncio.to_thread(request.app.ctx.accounts.authenticate, token)
        if current is None or current.role not in HANDLES_TICKETS:
            return False
        member = current
        return True

    tickets = request.app.ctx.tickets
    async with watching(request.app.ctx.events, STAFF_TOPIC, ws,
                        "your session has ended; log in again") as queue:
        # "ready" once the bus listens: the console reloads, then hears all
        await ws.send(json.dumps({"type": "ready", "user": member.to_json()}))
        while True:
            event = await next_event(queue, ws, still_logged_in)
            ticket_id = event.get("ticket_id")
            if ticket_id is None and event.get("conversation_id"):
                ticket_id = await asyncio.to_thread(tickets.open_ticket_for, event["conversation_id"])
                event = dict(event, ticket_id=ticket_id)
            if ticket_id is None:
                continue
            facts = await asyncio.to_thread(tickets.watchers, ticket_id)
            if facts and can_see(member, facts["tier"], facts["skill"], facts["assignee_id"],
                                 facts["owner_id"]):
                await ws.send(json.dumps(event))
