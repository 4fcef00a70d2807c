"""The agent console page (/agent) and its assets, and the console's returns desk
(/agent/returns, with the same assets); everything they show comes from the staff API."""

from __future__ import annotations

from pathlib import Path

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse, file

from ground.web.static_page import static_page

STATIC = Path(__file__).resolve().parent / "static"

console = static_page("console", "/agent", STATIC, "agent.html")

returns_page = Blueprint("returns_page")


@returns_page.get("/agent/returns")
async def show_returns(request: Request) -> HTTPResponse:
    return await file(STATIC / "returns.html", mime_type="text/html; charset=utf-8")
