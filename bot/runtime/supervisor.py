"""Runs the action server and the Rasa server side by side, and stops them together.

Start-up order: settings and secrets from `.env`, the database schema (Alembic migrations),
the company's demo data when the database is empty, then the action server, the Rasa server
with the active model version (trainer.registry: the first time, the model `make` built
from the checkout) and the conversation gateway side by side.
Ctrl-C (SIGINT) or SIGTERM stops every process; if one of them dies, the others are stopped
too, so that a half-running product never goes unnoticed.
"""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

from bot.envfile import PROJECT_ROOT
from bot.settings import Settings, VAR_DIR, environment
from bot.schema import upgrade
from company.clock import utcnow
from company.database import session_factory
from company.seed import is_empty, seed
from trainer.registry import ModelStore

MODEL_PATH = PROJECT_ROOT / "models" / "caredesk.tar.gz"
CREDENTIALS = "credentials.yml"
BENCH_CREDENTIALS = "bot/benchmarks/credentials.yml"  # adds Rasa's REST channel
STARTUP_TIMEOUT_SECONDS = 300.0
STOP_TIMEOUT_SECONDS = 15.0


@dataclass
class Service:
    """One child process and how to tell that it is ready."""

    name: str
    command: List[str]
    ready_url: str
    env: Dict[str, str]
    process: Optional[subprocess.Popen] = field(default=None, repr=False)

    def start(self) -> None:
        self.process = subprocess.Popen(self.command, env=self.env, cwd=PROJECT_ROOT)

    def exited(self) -> Optional[int]:
        return None if self.process is None else self.process.poll()


def child_environment(settings: Settings, base: Dict[str, str]) -> Dict[str, str]:
    """The environment every child process gets: settings resolved to concrete values."""
    env = dict(base)
    env.update(
        DATABASE_URL=settings.database_url,
        TRACKER_DB_PATH=str(settings.tracker_db_path),
        ACTION_ENDPOINT_URL=settings.action_server_url,
        RASA_CHANNEL_SECRET=settings.rasa_channel_secret,
        ACTION_SERVER_SECRET=settings.action_server_secret,
        RASA_TOKEN=settings.rasa_token,
        SANIC_HOST="127.0.0.1",
        PYTHONUNBUFFERED="1",
        TF_CPP_MIN_LOG_LEVEL="2",
    )
    return env


def build_services(settings: Settings, env: Dict[str, str], model: Path) -> List[Service]:
    return [
        Service(
            name="action server",
            command=[sys.executable, "-m", "bot.runtime.action_server",
                     "--port", str(settings.action_port)],
            ready_url=f"http://127.0.0.1:{settings.action_port}/health",
            env=env,
        ),
        Service(
            name="Rasa server",
            # the API token reaches Rasa through RASA_TOKEN in env (bot.runtime.rasa_server)
            command=[sys.executable, "-m", "bot.runtime.rasa_server", "run", "--enable-api",
                     "--interface", "127.0.0.1",
                     "--port", str(settings.rasa_port), "--model", str(model),
                     "--endpoints", "endpoints.yml", "--credentials",
                     BENCH_CREDENTIALS if settings.rasa_rest_channel else CREDENTIALS],
            ready_url=f"{settings.rasa_url}/status?token={settings.rasa_token}",
            env=env,
        ),
        Service(
            name="gateway",
            command=[sys.executable, "-m", "bot.gateway"],
            ready_url=f"http://127.0.0.1:{settings.gateway_port}/openapi.json",
            env=env,
        ),
    ]


def is_ready(service: Service) -> bool:
    try:
        with urllib.request.urlopen(service.ready_url, timeout=2) as response:
            body = response.read()
    except (urllib.error.URLError, OSError):
        return False
    if service.name == "Rasa server":
        # /status answers before the model is loaded; ready means a model is in place
        return bool(json.loads(body or b"{}").get("model_id"))
    return True


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def ensure_company_data(settings: Settings) -> None:
    with session_factory(settings.database_url)() as session:
        if is_empty(session):
            seed(session, utcnow(), random.Random(20261123))
            print("Seeded the demo company data (customers, orders, plans).", flush=True)


def ensure_demo_history(settings: Settings) -> None:
    """The report's demo history (reports.demo), once, unless DEMO_HISTORY is off."""
    if not settings.demo_history:
        return
    from reports.demo import SEED, seed_history

    added = seed_history(session_factory(settings.database_url), settings.tracker_db_path,
                         utcnow(), random.Random(SEED))
    if added:
        print(f"Seeded the demo service history ({added} conversations over 60 days).", flush=True)


def stop_all(services: List[Service]) -> None:
    running = [s for s in services if s.process is not None and s.process.poll() is None]
    for service in running:
        service.process.terminate()  # type: ignore[union-attr]
    deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
    for service in running:
        try:
            service.process.wait(timeout=max(0.1, deadline - time.monotonic()))  # type: ignore[union-attr]
        except subprocess.TimeoutExpired:
            service.process.kill()  # type: ignore[union-attr]
            service.process.wait()  # type: ignore[union-attr]


class _Stop(Exception):
    pass


def _raise_stop(signum: int, _frame: object) -> None:
    raise _Stop(signum)


def wait_until_ready(services: List[Service]) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    pending = list(services)
    while pending:
        for service in list(pending):
            code = service.exited()
            if code is not None:
                raise RuntimeError(f"the {service.name} exited during start-up (code {code})")
            if is_ready(service):
                print(f"  {service.name} is ready", flush=True)
                pending.remove(service)
        if time.monotonic() > deadline:
            names = ", ".join(s.name for s in pending)
            raise RuntimeError(f"not ready after {STARTUP_TIMEOUT_SECONDS:.0f}s: {names}")
        time.sleep(0.5)


def banner(settings: Settings) -> str:
    telegram = (f"webhook at {settings.gateway_url}/telegram/webhook (or: make telegram-poll)"
                if settings.telegram_enabled else "off (set TELEGRAM_BOT_TOKEN in .env)")
    return f"""
CareDesk is running.
  Chat page:           {settings.gateway_url}/
  Agent console:       {settings.gateway_url}/agent   (user admin, password CAREDESK_ADMIN_PASSWORD in .env;
                       more staff: make staff ARGS="add sam --role agent")
  Service report:      {settings.gateway_url}/reports   (admins and account managers)
  Trainer workbench:   {settings.gateway_url}/trainer   (trainers and admins)
  Customer API:        {settings.gateway_url}/openapi.json   Health: {settings.gateway_url}/healthz
  Telegram:            {telegram}
  In the terminal:     make shell
  Rasa HTTP API:       {settings.rasa_url}/status?token=$RASA_TOKEN  (token in .env)
  Action server:       http://127.0.0.1:{settings.action_port}/health
Press Ctrl-C to stop.
"""


def main(model: Path = MODEL_PATH) -> int:
    settings = Settings.from_env()
    for key, value in (("RASA_TOKEN", settings.rasa_token),
                       ("ACTION_SERVER_SECRET", settings.action_server_secret)):
        if not value:
            print(f"{key} is not set: run `make run`, which creates .env", file=sys.stderr)
            return 2
    if not model.exists():
        print(f"No trained model at {model}: run `make run`, which trains one", file=sys.stderr)
        return 2
    for port in (settings.action_port, settings.rasa_port, settings.gateway_port):
        if not port_is_free(port):
            print(f"Port {port} is in use; stop what uses it or change it in .env",
                  file=sys.stderr)
            return 2
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    upgrade(settings.database_url)
    ensure_company_data(settings)
    ensure_demo_history(settings)
    served, build = ModelStore(session_factory(settings.database_url),
                               settings.model_store_dir).bootstrap(model)
    print(f"The Rasa server loads the active model version {served.name}.", flush=True)
    if served.name != f"v{build}.tar.gz":
        print(f"The model built from this checkout is stored as v{build} but not active: "
              f"compare and activate it in the trainer workbench, or with "
              f"`make trainer ARGS=\"activate {build}\"`.", flush=True)
    env = child_environment(settings, {**environment(), **os.environ})
    services = build_services(settings, env, served)
    signal.signal(signal.SIGTERM, _raise_stop)
    signal.signal(signal.SIGINT, _raise_stop)
    started = time.monotonic()
    try:
        print("Starting CareDesk (the Rasa server needs about a minute to load its model)...",
              flush=True)
        for service in services:
            service.start()
        wait_until_ready(services)
        print(f"Ready in {time.monotonic() - started:.0f}s.", flush=True)
        print(banner(settings), flush=True)
        while True:
            for service in services:
                code = service.exited()
                if code is not None:
                    print(f"The {service.name} stopped (code {code}); stopping CareDesk.",
                          file=sys.stderr)
                    return 1
            time.sleep(0.5)
    except _Stop:
        print("\nStopping CareDesk...", flush=True)
        return 0
    except RuntimeError as error:
        print(f"CareDesk could not start: {error}", file=sys.stderr)
        return 1
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        stop_all(services)
