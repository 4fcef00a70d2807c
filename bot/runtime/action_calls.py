"""Rasa 3.6 opens a new HTTP client session, and so a new connection, for every call to the
action server (rasa.utils.endpoints.EndpointConfig.request), and encodes each call's body
(the whole conversation and the 55 kB domain) with the standard library's json: about
2 ms of the Rasa server's CPU per call, one or two calls a turn, plus the action server
accepting each new connection.

`install` gives each endpoint one kept client session per event loop: connections are
reused (kept idle for at most 2 s, less than the action server's 5 s keep-alive, so that a
connection the server is closing is never picked), and bodies are encoded with ujson
(already installed with Sanic), which writes the same JSON values. The session's headers,
authentication and timeout are Rasa's.
"""

from __future__ import annotations

import asyncio
from typing import Any, Optional

import aiohttp
import ujson
from rasa.core.constants import DEFAULT_REQUEST_TIMEOUT
from rasa.utils.endpoints import EndpointConfig

KEEP_IDLE_SECONDS = 2.0
SESSION = "_caredesk_session"  # on an EndpointConfig: (event loop, kept ClientSession)


class KeptSession:
    """What `async with endpoint.session() as session` gets: the kept session, not closed
    at the end of the block."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self._session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self._session

    async def __aexit__(self, *_exception: Any) -> None:
        return None


def _new_session(endpoint: EndpointConfig) -> aiohttp.ClientSession:
    auth: Optional[aiohttp.BasicAuth] = None
    if endpoint.basic_auth:
        auth = aiohttp.BasicAuth(endpoint.basic_auth["username"], endpoint.basic_auth["password"])
    return aiohttp.ClientSession(
        headers=endpoint.headers, auth=auth,
        timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
        connector=aiohttp.TCPConnector(keepalive_timeout=KEEP_IDLE_SECONDS),
        json_serialize=ujson.dumps)


def session(endpoint: EndpointConfig) -> KeptSession:
    """EndpointConfig.session, kept for the running event loop."""
    loop = asyncio.get_running_loop()
    kept = endpoint.__dict__.get(SESSION)
    if kept is None or kept[0] is not loop or kept[1].closed:
        kept = (loop, _new_session(endpoint))
        endpoint.__dict__[SESSION] = kept
    return KeptSession(kept[1])


def install() -> None:
    EndpointConfig.session = session  # type: ignore[assignment]
