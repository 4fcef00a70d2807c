"""GET /healthz: the gateway, its database, Rasa and the action server, each on its own."""

from __future__ import annotations

import asyncio
from typing import Any, Dict

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse, json
from sqlalchemy import text

health = Blueprint("health")


def _database_ok(sessions: Any) -> Dict[str, Any]:
    try:
        with sessions() as session:
            session.execute(text("SELECT 1"))
    except Exception as error:  # any failure means "not healthy", with its kind
        return {"ok": False, "error": type(error).__name__}
    return {"ok": True}


@health.get("/healthz")
async def healthz(request: Request) -> HTTPResponse:
    ctx = request.app.ctx
    database, rasa, actions = await asyncio.gather(
        asyncio.to_thread(_database_ok, ctx.sessions),
        ctx.assistant.rasa_health(),
        ctx.assistant.action_server_health(),
    )
    checks = {"gateway": {"ok": True}, "database": database, "rasa": rasa,
              "action_server": actions}
    healthy = all(check["ok"] for check in checks.values())
    return json({"status": "ok" if healthy else "degraded", "checks": checks},
                status=200 if healthy else 503)
