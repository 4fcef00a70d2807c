"""The service report's API: `GET /api/v1/reports` (figures and SVG charts as JSON) and
`GET /api/v1/reports.csv` (the figures as a CSV download), for admins and account managers.

Authentication, the per-user rate limit and the role check are the staff API's own
(handoff.staff_auth). Dates are whole UTC days, both included (reports.period).
"""

from __future__ import annotations

import asyncio

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse, text
from sanic.response import json as json_response

from ground.web.errors import ApiError
from ground.clock import utcnow
from handoff.models import Role
from handoff.staff_auth import staff_member
from reports.charts import report_charts
from reports.csv_export import csv_text
from reports.figures import ServiceReport, service_report
from reports.period import Period, PeriodError

READERS = frozenset({Role.ADMIN, Role.ACCOUNT_MANAGER})

reports = Blueprint("reports", url_prefix="/api/v1")


async def _report(request: Request) -> ServiceReport:
    await staff_member(request, roles=READERS)
    try:
        period = Period.parse(request.args.get("from"), request.args.get("to"))
    except PeriodError as error:
        raise ApiError(400, "bad_request", str(error))
    return await asyncio.to_thread(service_report, request.app.ctx.sessions,
                                   request.app.ctx.tracker, period, utcnow())


@reports.get("/reports")
async def report_json(request: Request) -> HTTPResponse:
    report = await _report(request)
    return json_response({"figures": report.to_json(), "charts": report_charts(report)},
                         headers={"Cache-Control": "no-store"})


@reports.get("/reports.csv")
async def report_csv(request: Request) -> HTTPResponse:
    report = await _report(request)
    name = f"caredesk-report-{report.period.first}-{report.period.last}.csv"
    return text(csv_text(report), content_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})
