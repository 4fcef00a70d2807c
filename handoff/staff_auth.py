"""Who is asking, for every staff endpoint: the bearer token's staff member, rate-limited
per user and checked against the roles the endpoint allows.

One place, so the staff API (handoff/api.py) and the service report (reports/api.py)
authenticate and refuse in exactly the same way: 401 without a valid session, 429 over the
per-user limit, 403 for a role the endpoint does not serve.
"""

from __future__ import annotations

import asyncio
from typing import Optional

from sanic.request import Request

from ground.web.auth import bearer
from ground.web.errors import ApiError
from ground.web.ratelimit import limited
from handoff.accounts import StaffMember
from handoff.permissions import HANDLES_TICKETS


async def staff_member(request: Request, token: Optional[str] = None,
                       roles: frozenset = HANDLES_TICKETS) -> StaffMember:
    """The logged-in staff member behind the request's bearer token (or `token`)."""
    token = token if token is not None else bearer(request.headers.get("authorization"))
    if not token:
        raise ApiError(401, "unauthorized", "log in first: send Authorization: Bearer <token>")
    member = await asyncio.to_thread(request.app.ctx.accounts.authenticate, token)
    if member is None:
        raise ApiError(401, "unauthorized", "invalid or expired session; log in again")
    await limited(request.app.ctx.staff_limit, f"staff:{member.id}")
    if member.role not in roles:
        raise ApiError(403, "forbidden", f"your role ({member.role}) cannot do this")
    return member
