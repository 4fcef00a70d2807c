"""The agent console page (/agent) and its assets; everything it shows comes from the
staff API."""

from __future__ import annotations

from pathlib import Path

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse, file

STATIC = Path(__file__).resolve().parent / "static"

console = Blueprint("console")
console.static("/agent/static", str(STATIC), name="console_assets")


@console.get("/agent")
async def agent_console(request: Request) -> HTTPResponse:
    return await file(STATIC / "agent.html", mime_type="text/html; charset=utf-8")
