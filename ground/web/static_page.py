"""A staff page: one HTML file at `path` and its assets under `path`/static (the agent
console, the service report, the trainer workbench). Everything a page shows comes from
the staff API; the page itself is static."""

from __future__ import annotations

from pathlib import Path

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse, file


def static_page(name: str, path: str, folder: Path, html: str) -> Blueprint:
    page = Blueprint(name)
    page.static(f"{path}/static", str(folder), name=f"{name}_assets")

    @page.get(path, name=f"{name}_page")
    async def show(request: Request) -> HTTPResponse:
        return await file(folder / html, mime_type="text/html; charset=utf-8")

    return page
