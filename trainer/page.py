"""The trainer workbench page (/trainer) and its assets; everything it shows comes from
the trainer API, with the staff login the other staff pages keep."""

from __future__ import annotations

from pathlib import Path

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse, file

STATIC = Path(__file__).resolve().parent / "static"

trainer_page = Blueprint("trainer_page")
trainer_page.static("/trainer/static", str(STATIC), name="trainer_assets")


@trainer_page.get("/trainer")
async def workbench(request: Request) -> HTTPResponse:
    return await file(STATIC / "trainer.html", mime_type="text/html; charset=utf-8")
