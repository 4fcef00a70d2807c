"""GET /openapi.json: the gateway's HTTP API, from bot/gateway/openapi.yml."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Dict

import yaml
from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse, json

SPEC = Path(__file__).resolve().parent.parent / "openapi.yml"

openapi = Blueprint("openapi")


@lru_cache(maxsize=1)
def specification() -> Dict[str, Any]:
    return yaml.safe_load(SPEC.read_text())


@openapi.get("/openapi.json")
async def openapi_json(request: Request) -> HTTPResponse:
    return json(specification())
