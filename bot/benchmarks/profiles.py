"""The deployments `make bench` measures, each started by one function.

A profile function starts the product on free ports with databases of its own under the
given folder, yields what the load needs to reach it (Product), and stops it. `single` is
`make run`'s default: the supervisor (bot.runtime) with one gateway, one Rasa server and
one action server on SQLite. The scaled profile (N of each behind a load balancer, on
PostgreSQL and Redis; `make run-scaled`) is built on another branch: once it exists, its
start is one more function in PROFILES, and the benchmark measures it beside `single`.
"""

from __future__ import annotations

import os
import secrets
import signal
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, ContextManager, Dict, Iterator, Protocol

from bot.benchmarks.process_cpu import ProcessCpu
from bot.runtime.launch import free_port, launch


class CpuSampler(Protocol):
    def sample(self) -> Dict[str, float]:
        """CPU seconds used so far, by process name."""


@dataclass(frozen=True)
class Product:
    """A running CareDesk, as the load reaches it."""

    rasa_url: str  # Rasa's REST channel: plain Rasa, what the gateway is compared with
    gateway_url: str
    database_url: str  # the company database, where tickets are counted
    admin_password: str
    cpu: CpuSampler
    logs: Path


Profile = Callable[[Path], ContextManager[Product]]


@contextmanager
def single(folder: Path) -> Iterator[Product]:
    """`make run`'s default profile: one of each process, started by the supervisor."""
    env = {
        **os.environ,
        "RASA_TOKEN": secrets.token_urlsafe(32),
        "GATEWAY_SECRET": secrets.token_urlsafe(32),
        "RASA_CHANNEL_SECRET": secrets.token_urlsafe(32),
        "ACTION_SERVER_SECRET": secrets.token_urlsafe(32),
        # plain Rasa is what the gateway is compared against: only the benchmark opens it
        "RASA_REST_CHANNEL": "true",
        "REQUIREMENTS_WEBHOOK_SECRET": secrets.token_urlsafe(32),
        "TELEGRAM_BOT_TOKEN": "",
        # measured: the replies, not the demo history seeded on a first start
        "DEMO_HISTORY": "false",
        "RASA_PORT": str(free_port()), "ACTION_PORT": str(free_port()),
        "GATEWAY_PORT": str(free_port()),
        "DATABASE_URL": f"sqlite:///{folder / 'caredesk.db'}",
        "TRACKER_DB_PATH": str(folder / "tracker.db"),
        # a benchmark client is one address sending many messages
        "MESSAGE_RATE_PER_MINUTE": "100000", "CONVERSATION_RATE_PER_MINUTE": "100000",
        "MESSAGE_RATE_PER_ADDRESS_PER_MINUTE": "100000", "LOGIN_RATE_PER_MINUTE": "100000",
        "CAREDESK_ADMIN_PASSWORD": secrets.token_urlsafe(24),
    }
    process = launch("bot.runtime", env, folder / "product.log", "CareDesk is running.")
    try:
        yield Product(rasa_url=f"http://127.0.0.1:{env['RASA_PORT']}",
                      gateway_url=f"http://127.0.0.1:{env['GATEWAY_PORT']}",
                      database_url=env["DATABASE_URL"],
                      admin_password=env["CAREDESK_ADMIN_PASSWORD"],
                      cpu=ProcessCpu(process.pid), logs=folder)
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)


PROFILES: Dict[str, Profile] = {"single": single}
# profiles the benchmark knows of but cannot start from this checkout, and why
NOT_AVAILABLE: Dict[str, str] = {"scaled": "make run-scaled not available"}
