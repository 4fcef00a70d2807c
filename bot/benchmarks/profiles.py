"""The deployments `make bench` measures, each started by one function.

A profile function starts the product on free ports with databases of its own under the
given folder, yields what the load needs to reach it (Product), and stops it. `single` is
`make run`'s default: the supervisor (bot.runtime) with one gateway, one Rasa server and
one action server on SQLite; `scaled` is `make run-scaled`'s (bot.runtime.scaled): N of
each behind nginx, on PostgreSQL and Redis, measured beside `single` on the same machine.
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import subprocess
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, ContextManager, Dict, Iterator, Protocol, Sequence, Tuple

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


def _environment(folder: Path) -> Dict[str, str]:
    """Settings of a product started for the benchmark: its own secrets, ports and files."""
    return {
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


@contextmanager
def _running(module: str, env: Dict[str, str], folder: Path, ready: str,
             args: Sequence[str] = ()) -> Iterator[Tuple[subprocess.Popen, Path]]:
    """A supervisor started and stopped (Ctrl-C, as a person would)."""
    log = folder / "product.log"
    process = launch(module, env, log, ready, timeout=600.0, args=args)
    try:
        yield process, log
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=90)


@contextmanager
def single(folder: Path) -> Iterator[Product]:
    """`make run`'s default profile: one of each process, started by the supervisor."""
    env = _environment(folder)
    with _running("bot.runtime", env, folder, "CareDesk is running.") as (process, _log):
        yield Product(rasa_url=f"http://127.0.0.1:{env['RASA_PORT']}",
                      gateway_url=f"http://127.0.0.1:{env['GATEWAY_PORT']}",
                      database_url=env["DATABASE_URL"],
                      admin_password=env["CAREDESK_ADMIN_PASSWORD"],
                      cpu=ProcessCpu(process.pid), logs=folder)


@contextmanager
def scaled(folder: Path) -> Iterator[Product]:
    """`make run-scaled`: SCALE (2) gateways, Rasa servers and action servers behind nginx,
    on PostgreSQL and Redis, started by bot.runtime.scaled. The load reaches nginx."""
    folder.chmod(0o755)  # PostgreSQL runs as `postgres` when the benchmark runs as root
    env = _environment(folder)
    with _running("bot.runtime.scaled", env, folder, "CareDesk is running, scaled out",
                  args=("--folder", str(folder / "run"))) as (process, log):
        database = re.search(r"DATABASE_URL=(\S+)", log.read_text())
        if database is None:
            raise RuntimeError(f"the scaled profile did not say its database:\n"
                               f"{log.read_text()[-3000:]}")
        yield Product(rasa_url=f"http://127.0.0.1:{env['RASA_PORT']}",
                      gateway_url=f"http://127.0.0.1:{env['GATEWAY_PORT']}",
                      database_url=database.group(1),
                      admin_password=env["CAREDESK_ADMIN_PASSWORD"],
                      cpu=ProcessCpu(process.pid), logs=folder)


PROFILES: Dict[str, Profile] = {"single": single, "scaled": scaled}
# profiles the benchmark knows of but cannot start from this checkout, and why
NOT_AVAILABLE: Dict[str, str] = {}
