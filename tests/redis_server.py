"""A real Redis server for tests, from Debian's `redis-server` package, in a temp folder."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Iterator, Optional

import pytest

from bot.runtime.launch import free_port

# the same override scripts/check-system reads
REDIS_SERVER = os.environ.get("CAREDESK_REDIS_SERVER", "/usr/bin/redis-server")


class RedisServer:
    """One server on a free port of 127.0.0.1, without persistence (nothing is saved); it
    can be stopped and started again on the same port, to test what clients do when Redis
    goes away for a moment."""

    def __init__(self) -> None:
        if shutil.which(REDIS_SERVER) is None:
            pytest.fail("Redis is not installed: apt-get install redis-server (make test's scripts/check-system does)")
        self.folder = Path(tempfile.mkdtemp(prefix="caredesk-redis-"))
        self.port = free_port()
        self.process: Optional[subprocess.Popen] = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        """Starts the server and waits until it answers a PING."""
        log = open(self.folder / "redis.log", "ab")
        self.process = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.folder)],
            stdout=log, stderr=subprocess.STDOUT, cwd=self.folder)
        log.close()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server exited:\n{self.log()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as probe:
                    probe.sendall(b"PING\r\n")
                    if probe.recv(64).startswith(b"+PONG"):
                        return
            except OSError:
                pass
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"redis-server did not answer on port {self.port}:\n{self.log()}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def log(self) -> str:
        path = self.folder / "redis.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


def redis_server() -> Iterator[RedisServer]:
    """A started server; stopped and removed afterwards."""
    server = RedisServer()
    try:
        server.start()
        yield server
    finally:
        server.remove()


@pytest.fixture(scope="module")
def redis() -> Iterator[RedisServer]:
    """A Redis server for the tests of one module (import this fixture to use it)."""
    yield from redis_server()
