"""Every error the gateway returns is JSON: {"error": {"status", "code", "message"}}."""

from __future__ import annotations

import json as jsonlib
import logging
from typing import Any, Optional

from sanic import Sanic
from sanic.exceptions import SanicException
from sanic.request import Request
from sanic.response import HTTPResponse, json

logger = logging.getLogger(__name__)


class ApiError(SanicException):
    """An error with a status, a stable machine-readable code and a clear message."""

    def __init__(self, status: int, code: str, message: str,
                 headers: Optional[dict] = None) -> None:
        super().__init__(message, status_code=status)
        self.code = code
        self.message = message
        self.extra_headers = headers or {}


async def refuse_websocket(ws: Any, error: ApiError) -> None:
    """A WebSocket cannot answer with a status: say the error, then close (4000 + status)."""
    await ws.send(jsonlib.dumps({"type": "error", "status": error.status_code,
                                 "message": error.message}))
    await ws.close(code=4000 + error.status_code)


def error_response(status: int, code: str, message: str,
                   headers: Optional[dict] = None) -> HTTPResponse:
    return json({"error": {"status": status, "code": code, "message": message}},
                status=status, headers=headers)


_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
          405: "method_not_allowed", 408: "timeout", 413: "too_large", 422: "invalid",
          429: "too_many_requests", 503: "unavailable"}


def install(app: Sanic) -> None:
    @app.exception(ApiError)
    async def api_error(request: Request, error: ApiError) -> HTTPResponse:
        return error_response(error.status_code, error.code, error.message, error.extra_headers)

    @app.exception(SanicException)
    async def sanic_error(request: Request, error: SanicException) -> HTTPResponse:
        status = getattr(error, "status_code", 500) or 500
        message = str(error) or "request failed"
        if status == 400 and "json" in message.lower():
            message = "the request body is not valid JSON"
        return error_response(status, _CODES.get(status, "error"), message)

    @app.exception(Exception)
    async def unexpected(request: Request, error: Exception) -> HTTPResponse:
        logger.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(500, "internal", "something went wrong on our side")
