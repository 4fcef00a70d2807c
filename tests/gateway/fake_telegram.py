"""A local stand-in for Telegram's Bot API (which this machine cannot reach).

A real HTTP server speaking the Bot API protocol for the methods CareDesk uses: requests at
/bot<token>/<method>, parameters form-encoded (JSON values) or as a JSON body, answers
`{"ok": true, "result": ...}` or `{"ok": false, "error_code", "description"}`. It records
every call, and can refuse sends for a while to exercise the gateway's retries.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional

from aiohttp import web

from tests.waiting import wait_until


@dataclass
class Call:
    method: str
    params: Dict[str, Any]
    at: float = field(default_factory=time.monotonic)  # when the call arrived
    refused: bool = False  # answered with an error on purpose (fail_next_sends)


def _decode(value: str) -> Any:
    try:
        return json.loads(value)
    except ValueError:
        return value


class FakeTelegram:
    def __init__(self, token: str) -> None:
        self.token = token
        self._calls: List[Call] = []
        self._updates: List[Dict[str, Any]] = []
        self._lock = threading.Lock()
        self._message_id = 1000
        self._failures = 0
        self._loop = asyncio.new_event_loop()
        self._runner: Optional[web.AppRunner] = None
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    # --- control ------------------------------------------------------------------------
    def start(self) -> None:
        ready = threading.Event()

        def serve() -> None:
            asyncio.set_event_loop(self._loop)
            app = web.Application()
            app.router.add_route("*", "/bot{token}/{method}", self._handle)
            self._runner = web.AppRunner(app)
            self._loop.run_until_complete(self._runner.setup())
            site = web.TCPSite(self._runner, "127.0.0.1", self.port)
            self._loop.run_until_complete(site.start())
            ready.set()
            self._loop.run_forever()

        threading.Thread(target=serve, daemon=True).start()
        if not ready.wait(10):
            raise RuntimeError("the fake Bot API did not start")

    def stop(self) -> None:
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)

    def fail_next_sends(self, count: int) -> None:
        """The next `count` sendMessage calls get HTTP 502, as during a Bot API outage."""
        with self._lock:
            self._failures = count

    def queue_update(self, update: Dict[str, Any]) -> None:
        """An update for getUpdates (long polling) to hand out."""
        with self._lock:
            self._updates.append(update)

    def calls(self, method: str) -> List[Call]:
        with self._lock:
            return [call for call in self._calls if call.method == method]

    def wait_for(self, method: str, predicate: Callable[[Call], bool] = lambda call: True,
                 timeout: float = 30.0) -> Call:
        """The first `method` call matching `predicate`, once it has arrived."""
        return wait_until(
            lambda: next((call for call in self.calls(method) if predicate(call)), None),
            timeout, lambda: f"no matching {method}; saw {[c.params for c in self.calls(method)]}",
            interval=0.05)

    # --- the protocol -------------------------------------------------------------------
    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401,
                                      "description": "Unauthorized"}, status=401)
        method = request.match_info["method"]
        if request.content_type == "application/json":
            params = await request.json()
        else:
            params = {key: _decode(value) for key, value in (await request.post()).items()}
        params.update({key: _decode(value) for key, value in request.query.items()})
        call = Call(method, params)
        with self._lock:
            if method == "sendMessage" and self._failures:
                self._failures -= 1
                call.refused = True
            self._calls.append(call)
        if call.refused:
            return web.json_response({"ok": False, "error_code": 502,
                                      "description": "Bad Gateway"}, status=502)
        handler = getattr(self, f"_{method}", None)
        if handler is None:
            return web.json_response({"ok": False, "error_code": 404,
                                      "description": "Not Found: method not found"}, status=404)
        return await handler(params)

    @staticmethod
    def _ok(result: Any) -> web.Response:
        return web.json_response({"ok": True, "result": result})

    async def _getMe(self, params: Dict[str, Any]) -> web.Response:
        return self._ok({"id": int(self.token.split(":")[0]), "is_bot": True,
                         "first_name": "Harbor Goods", "username": "harbor_goods_bot",
                         "can_join_groups": False, "can_read_all_group_messages": False,
                         "supports_inline_queries": False})

    async def _sendMessage(self, params: Dict[str, Any]) -> web.Response:
        with self._lock:
            self._message_id += 1
            message_id = self._message_id
        message = {"message_id": message_id, "date": int(time.time()),
                   "chat": {"id": int(params["chat_id"]), "type": "private"},
                   "from": {"id": int(self.token.split(":")[0]), "is_bot": True,
                            "first_name": "Harbor Goods"},
                   "text": params.get("text", "")}
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        return self._ok(message)

    async def _answerCallbackQuery(self, params: Dict[str, Any]) -> web.Response:
        return self._ok(True)

    async def _sendChatAction(self, params: Dict[str, Any]) -> web.Response:
        return self._ok(True)

    async def _deleteWebhook(self, params: Dict[str, Any]) -> web.Response:
        return self._ok(True)

    async def _setWebhook(self, params: Dict[str, Any]) -> web.Response:
        return self._ok(True)

    async def _getUpdates(self, params: Dict[str, Any]) -> web.Response:
        offset = int(params.get("offset") or 0)
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), 2.0)
        while True:
            with self._lock:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
                ready = list(self._updates)
            if ready or time.monotonic() >= deadline:
                return self._ok(ready)
            await asyncio.sleep(0.05)
