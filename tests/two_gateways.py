"""Two real gateway processes on one database and one Redis, as the scaled profile runs them:
what the tests of work shared between gateways (live events, rate limits, sessions,
aftercare messages, webhook deliveries) start.

The two are started one after the other (the first migrates the database and creates the
admin), on their own ports, each with its own log folder; both read the same settings."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, List, Tuple

import pytest

from bot.runtime.launch import free_port
from tests.postgres import create_database
from tests.product import RunningProcess, product_environment, start_gateway

Pair = Tuple[RunningProcess, RunningProcess]


@contextmanager
def two_gateways(folder: Path, **settings: str) -> Iterator[Pair]:
    """Gateways "a" and "b" with the product's test settings of `folder` overridden by
    `settings` (DATABASE_URL, REDIS_URL, ...); both stopped on leaving."""
    env = product_environment(folder, **settings)
    started: List[RunningProcess] = []
    try:
        for name in ("a", "b"):
            own = folder / name
            own.mkdir()
            started.append(start_gateway(own, dict(env, GATEWAY_PORT=str(free_port()))))
        yield started[0], started[1]
    finally:
        for gateway in started:
            gateway.stop()


def shared_database(kind: str, request: pytest.FixtureRequest, folder: Path) -> str:
    """The URL of a new database both gateways use: a file in `folder` ("sqlite") or a
    database of its own on the test session's PostgreSQL server ("postgresql": the
    `postgres_url` fixture of tests/databases.py, a plugin; importing it into a module would
    start another server)."""
    if kind == "sqlite":
        return f"sqlite:///{folder / 'caredesk.db'}"
    return create_database(request.getfixturevalue("postgres_url"))


def gateway_pid(worker: str) -> int:
    """The process id in a worker's name (host:pid:random, feedback.worker.worker_name)."""
    return int(worker.split(":")[1])


def pids(gateways: Pair) -> set[int]:
    return {gateway.process.pid for gateway in gateways}
