"""The service report's part of the gateway: its staff API and page."""

from __future__ import annotations

from sanic import Sanic

from ground.settings import Settings
from reports.api import reports
from reports.page import report_page


def install(app: Sanic, settings: Settings) -> None:
    app.blueprint(reports)
    app.blueprint(report_page)
