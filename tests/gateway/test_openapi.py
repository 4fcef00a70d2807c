"""Every route the gateway serves is in its OpenAPI document, with the same methods."""

from __future__ import annotations

import re
from typing import Set, Tuple

import pytest

from bot.gateway.app import create_app
from bot.gateway.routes.openapi import specification
from ground.settings import Settings


def _routes(app) -> Set[Tuple[str, str]]:  # type: ignore[no-untyped-def]
    found = set()
    for route in app.router.routes:
        uri = re.sub(r"<(\w+)(:\w+)?>", r"{\1}", route.uri)
        if uri.startswith(("/static/", "/agent/static/", "/reports/static/", "/trainer/static/")):
            continue  # the pages' own assets
        for method in route.methods - {"HEAD", "OPTIONS"}:
            found.add((uri, method.lower()))
    return found


@pytest.mark.parametrize("telegram", [False, True])
def test_every_route_is_documented(telegram: bool) -> None:
    settings = Settings.from_env({
        "RASA_TOKEN": "t", "GATEWAY_SECRET": "g" * 40, "RASA_CHANNEL_SECRET": "c" * 40,
        "REQUIREMENTS_WEBHOOK_SECRET": "w" * 40,
        "TELEGRAM_BOT_TOKEN": "1:x" if telegram else "",
    })
    app = create_app(settings, name=f"openapi_check_{telegram}")
    documented = {
        (path, method)
        for path, operations in specification()["paths"].items()
        for method in operations if method != "parameters"
    }
    served = _routes(app)
    assert served <= documented, f"undocumented: {served - documented}"
    if telegram:
        assert served == documented, f"documented but not served: {documented - served}"


def _operations():  # type: ignore[no-untyped-def]
    for path, operations in specification()["paths"].items():
        for method, operation in operations.items():
            if method != "parameters":
                yield f"{method.upper()} {path}", operation


def test_every_refusal_the_gateway_makes_everywhere_is_documented() -> None:
    """Found by the API fuzzing (tests/gateway/test_fuzz.py): the per-user limit of every
    staff call (429), a body that is not a JSON object (400), a plain HTTP request to a
    WebSocket (426)."""
    for name, operation in _operations():
        responses = operation["responses"]
        if {"staffToken": []} in operation.get("security", []):
            assert "429" in responses, f"{name}: staff calls are rate-limited per user"
        if "application/json" in operation.get("requestBody", {}).get("content", {}):
            assert "400" in responses, f"{name}: a body that is not a JSON object is 400"
        if "101" in responses:
            assert {"400", "426"} <= set(responses), f"{name}: not a WebSocket handshake"
