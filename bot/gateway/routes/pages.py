"""The customer chat page (/), the embeddable widget (/widget.js) and their assets."""

from __future__ import annotations

from pathlib import Path

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse, file

STATIC = Path(__file__).resolve().parent.parent / "static"

pages = Blueprint("pages")
pages.static("/static", str(STATIC), name="assets")


@pages.get("/")
async def chat_page(request: Request) -> HTTPResponse:
    return await file(STATIC / "chat.html", mime_type="text/html; charset=utf-8")


@pages.get("/widget.js")
async def widget(request: Request) -> HTTPResponse:
    return await file(STATIC / "widget.js", mime_type="text/javascript; charset=utf-8")
