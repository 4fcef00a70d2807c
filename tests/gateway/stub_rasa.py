"""A stand-in for the Rasa server that is alive but slow, like Rasa under load.

A real HTTP server on a free port speaking the endpoints the gateway uses: `PUT /model`
loads a model file (nothing is read from it), `GET /status` answers at once (with a model id) while the stand-in is `alive` (503 otherwise),
and `POST /webhooks/gateway/webhook` answers "answer to <message>" after `delay` seconds,
like Rasa's collecting gateway channel. It records in which order the senders' turns arrived (and
their messages) and the most turns it ever held at once.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, List, Optional, Tuple

from aiohttp import web

from tests.product import RunningProcess, product_environment, start_gateway


class SlowRasa:
    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.alive = True  # False: the status endpoint fails, as for a Rasa that is going down
        self.model_file = "stand-in.tar.gz"  # what PUT /model loaded last
        self._lock = threading.Lock()
        self._arrivals: List[str] = []
        self._turns: List[Tuple[str, str]] = []
        self._held = 0
        self._most_held = 0
        self._loop = asyncio.new_event_loop()
        self._runner: Optional[web.AppRunner] = None
        # bound here and kept: a port probed and let go could be taken by a process started
        # before this one serves (a fresh-clone run once failed so, "did not start")
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self.port = self._socket.getsockname()[1]
        self._failure: Optional[BaseException] = None

    def start(self) -> None:
        ready = threading.Event()

        def serve() -> None:
            asyncio.set_event_loop(self._loop)
            app = web.Application()
            app.router.add_get("/status", self._status)
            app.router.add_post("/webhooks/gateway/webhook", self._webhook)
            app.router.add_put("/model", self._load_model)
            try:
                self._runner = web.AppRunner(app, shutdown_timeout=1.0)
                self._loop.run_until_complete(self._runner.setup())
                site = web.SockSite(self._runner, self._socket)
                self._loop.run_until_complete(site.start())
            except BaseException as failure:  # told to the test, not lost in this thread
                self._failure = failure
                ready.set()
                return
            ready.set()
            self._loop.run_forever()

        threading.Thread(target=serve, daemon=True).start()
        if not ready.wait(10):
            raise RuntimeError("the stand-in Rasa did not start")
        if self._failure is not None:
            raise RuntimeError("the stand-in Rasa did not start") from self._failure

    def stop(self) -> None:
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._close(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)

    async def _close(self) -> None:
        assert self._runner is not None
        await self._runner.cleanup()
        # turns still being held (their caller gave up on them) end with the stand-in
        for task in asyncio.all_tasks() - {asyncio.current_task()}:
            task.cancel()

    def arrivals(self) -> List[str]:
        """The senders (conversation ids) of the turns received, in order of arrival."""
        with self._lock:
            return list(self._arrivals)

    def turns(self) -> List[Tuple[str, str]]:
        """The turns received, (sender, message), in order of arrival."""
        with self._lock:
            return list(self._turns)

    @property
    def most_held(self) -> int:
        """The most turns the stand-in was working on at the same time."""
        with self._lock:
            return self._most_held

    def wait_for_arrivals(self, count: int, timeout: float = 30.0) -> List[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.arrivals()) >= count:
                return self.arrivals()
            time.sleep(0.05)
        raise AssertionError(f"{len(self.arrivals())} turns reached the stand-in, not {count}")

    async def _status(self, request: web.Request) -> web.Response:
        if not self.alive:
            return web.json_response({"error": "stand-in is failing"}, status=503)
        return web.json_response({"model_id": "stand-in", "model_file": self.model_file})

    async def _load_model(self, request: web.Request) -> web.Response:
        """Rasa's `PUT /model` with a model file: served from then on."""
        self.model_file = (await request.json())["model_file"]
        return web.Response(status=204)

    async def _webhook(self, request: web.Request) -> web.Response:
        body = await request.json()
        with self._lock:
            self._arrivals.append(body["sender"])
            self._turns.append((body["sender"], body["message"]))
            self._held += 1
            self._most_held = max(self._most_held, self._held)
        try:
            await asyncio.sleep(self.delay)
        finally:
            with self._lock:
                self._held -= 1
        return web.json_response([{"recipient_id": body["sender"],
                                   "text": f"answer to {body['message']}"}])


@contextmanager
def gateway_before(folder: Path, rasa: SlowRasa, **settings: str) -> Iterator[RunningProcess]:
    """A real gateway (settings from `folder`, overridden by `settings`) whose Rasa is the
    stand-in, started and stopped with it."""
    rasa.start()
    try:
        process = start_gateway(folder, product_environment(
            folder, RASA_PORT=str(rasa.port), **settings))
        try:
            yield process
        finally:
            process.stop()
    finally:
        rasa.stop()
