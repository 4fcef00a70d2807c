"""The service report page (/reports) and its assets; everything it shows comes from the
report API, with the staff login the agent console keeps."""

from __future__ import annotations

from pathlib import Path

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse, file

STATIC = Path(__file__).resolve().parent / "static"

report_page = Blueprint("report_page")
report_page.static("/reports/static", str(STATIC), name="report_assets")


@report_page.get("/reports")
async def reports_page(request: Request) -> HTTPResponse:
    return await file(STATIC / "reports.html", mime_type="text/html; charset=utf-8")
