"""Every error the gateway returns is JSON: {"error": {"status", "code", "message"}}."""

from __future__ import annotations

import json as jsonlib
import logging
from typing import Any, Optional

from sanic import Sanic
from sanic.exceptions import MethodNotSupported, NotFound, SanicException
from sanic.request import Request
from sanic.response import HTTPResponse, json
from websockets.exceptions import InvalidHandshake, InvalidUpgrade
from websockets.server import ServerConnection

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
          426: "upgrade_required", 429: "too_many_requests", 503: "unavailable"}


def websocket_refusal(request: Request) -> Optional[HTTPResponse]:
    """The JSON error for a request to a WebSocket route that is not a valid WebSocket
    handshake, or None for a valid one (and for any other route).

    Sanic 21.12 would answer every refused handshake (a plain GET, say) with a 500: the
    websockets library records the refusal on the request, which a Sanic request cannot
    hold. So the handshake is checked first, by the same library's rules: 426 Upgrade
    Required (with `Upgrade: websocket`) without an upgrade to a WebSocket, 400 for a
    malformed one (key, version)."""
    route = request.route
    if route is None or not getattr(route.ctx, "websocket", False):
        return None
    try:
        ServerConnection().process_request(request)  # type: ignore[arg-type]
    except InvalidUpgrade:
        return error_response(426, "upgrade_required",
                              "this address is a WebSocket: connect with a WebSocket client",
                              headers={"Upgrade": "websocket"})
    except InvalidHandshake as error:
        return error_response(400, "bad_request", f"not a valid WebSocket handshake: {error}")
    return None


ROUTED_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def allowed_methods(request: Request) -> list:
    """The methods the request's path is routed for. Sanic's router answers an unrouted
    method on a path with parameters (/api/v1/tickets/1, say) with a 404 rather than a
    405; this tells the two apart."""
    allowed = []
    for method in ROUTED_METHODS:
        try:
            request.app.router.get(request.path, method, request.headers.get("host"))
        except (NotFound, MethodNotSupported):
            continue
        allowed.append(method)
    return allowed


def install(app: Sanic) -> None:
    @app.on_request
    async def websocket_handshake(request: Request) -> Optional[HTTPResponse]:
        return websocket_refusal(request)

    @app.exception(ApiError)
    async def api_error(request: Request, error: ApiError) -> HTTPResponse:
        return error_response(error.status_code, error.code, error.message, error.extra_headers)

    @app.exception(SanicException)
    async def sanic_error(request: Request, error: SanicException) -> HTTPResponse:
        status = getattr(error, "status_code", 500) or 500
        if isinstance(error, NotFound) and request.route is None:
            allowed = allowed_methods(request)
            if allowed:
                error = MethodNotSupported(f"Method {request.method} not allowed for URL "
                                           f"{request.path}", request.method, allowed)
                status = 405
        message = str(error) or "request failed"
        if status == 400 and "json" in message.lower():
            message = "the request body is not valid JSON"
        # e.g. the Allow header of a 405, which RFC 9110 requires
        return error_response(status, _CODES.get(status, "error"), message,
                              getattr(error, "headers", None) or None)

    @app.exception(Exception)
    async def unexpected(request: Request, error: Exception) -> HTTPResponse:
        logger.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(500, "internal", "something went wrong on our side")
