"""`python -m bot.runtime.scaled` (what `make run-scaled` calls): CareDesk scaled out on one
machine, on real engines, kept up by the same supervisor as `make run`.

It starts, in this order:

1. PostgreSQL (bot.runtime.postgres_server: Debian's binaries, the cluster in
   var/scaled/postgres, made the first time) and Redis (Debian's redis-server, nothing
   saved: it holds only what is live: Rasa's locks, the gateways' events and counters);
2. the databases `caredesk` (company data, conversations, tickets; Alembic migrations and
   the demo company data when it is empty) and `tracker` (Rasa's tracker store);
3. SCALE (2) action servers, SCALE Rasa servers (endpoints-scaled.yml: the tracker store on
   PostgreSQL, Rasa's lock store on Redis, bot.runtime.lock_store) and SCALE gateways (DATABASE_URL on PostgreSQL,
   REDIS_URL for their event bus, rate limits and login slowing), each on a free port of
   127.0.0.1, and nginx (bot.runtime.nginx_config) as the one address in front of the
   gateways (GATEWAY_PORT), and on RASA_PORT and ACTION_PORT in front of the Rasa servers
   (which the gateways use) and of the action servers (which the Rasa servers use).

Every one of them is a child that the supervisor (bot.runtime.supervisor) restarts with
back-off when it stops; Ctrl-C stops them all, PostgreSQL and Redis last. The logs of
nginx, PostgreSQL and Redis go to their folders under var/scaled/.

Not in this profile (yet): the demo service history (it writes the SQLite tracker file),
and a model version activated in the trainer workbench reaches only the Rasa server that
nginx hands the activation to (the others load it when they restart).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path
from typing import Dict, List

from bot.runtime import nginx_config, postgres_server
from bot.runtime.launch import free_ports
from bot.runtime.supervisor import (BENCH_CREDENTIALS, CREDENTIALS, GATEWAY_COMMAND,
                                    MODEL_PATH, Service, active_model, cannot_start,
                                    child_environment, ensure_company_data, run)
from bot.schema import upgrade
from ground.database import session_factory
from ground.settings import VAR_DIR, Settings, environment
from trainer.registry import ModelStore

FOLDER = VAR_DIR / "scaled"
ENDPOINTS = "endpoints-scaled.yml"
REDIS_SERVER = "/usr/bin/redis-server"  # Debian's `redis-server` package
COMPANY_DATABASE = "caredesk"
TRACKER_DATABASE = "tracker"


@dataclasses.dataclass(frozen=True)
class Layout:
    """Where every process of the profile listens."""

    scale: int
    postgres: int
    redis: int
    gateways: List[int]
    rasa: List[int]
    actions: List[int]

    @classmethod
    def on_free_ports(cls, scale: int) -> "Layout":
        ports = free_ports(2 + 3 * scale)
        return cls(scale, ports[0], ports[1], ports[2:2 + scale], ports[2 + scale:2 + 2 * scale],
                   ports[2 + 2 * scale:])

    @property
    def database_url(self) -> str:
        return postgres_server.database_url(self.postgres, COMPANY_DATABASE)

    @property
    def tracker_url(self) -> str:
        return postgres_server.database_url(self.postgres, TRACKER_DATABASE)

    @property
    def redis_url(self) -> str:
        return f"redis://127.0.0.1:{self.redis}/0"


def redis_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as probe:
            probe.sendall(b"PING\r\n")
            return probe.recv(64).startswith(b"+PONG")
    except OSError:
        return False


def _log_to(path: Path) -> Dict[str, object]:
    """Popen options sending a child's output to `path` (appended across restarts)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return {"stdout": path.open("ab"), "stderr": subprocess.STDOUT}


def engine_services(layout: Layout, folder: Path, env: Dict[str, str]) -> List[Service]:
    """PostgreSQL and Redis."""
    data = postgres_server.data_folder(folder)
    if postgres_server.prepare_cluster(data):
        print(f"Made a PostgreSQL cluster in {data}.", flush=True)
    redis_folder = folder / "redis"
    redis_folder.mkdir(parents=True, exist_ok=True)
    return [
        Service(name="PostgreSQL server",
                command=postgres_server.server_command(data, layout.postgres), ready_url="",
                env=env, probe=lambda: postgres_server.accepts_connections(layout.postgres),
                stop_signal=signal.SIGINT,  # a fast shutdown
                popen_options={**postgres_server.run_as(),
                               **_log_to(folder / "logs" / "postgres.log")}),
        Service(name="Redis server",
                command=[REDIS_SERVER, "--port", str(layout.redis), "--bind", "127.0.0.1",
                         "--save", "", "--appendonly", "no", "--dir", str(redis_folder)],
                ready_url="", env=env, probe=lambda: redis_answers(layout.redis),
                popen_options=_log_to(folder / "logs" / "redis.log")),
    ]


def scaled_settings(settings: Settings, layout: Layout) -> Settings:
    """The settings every process of the profile shares: the engines' addresses, and
    nginx's inner addresses for Rasa and the action servers."""
    return dataclasses.replace(
        settings, database_url=layout.database_url, tracker_url=layout.tracker_url,
        redis_url=layout.redis_url, rasa_base_url=f"http://127.0.0.1:{settings.rasa_port}",
        action_base_url=f"http://127.0.0.1:{settings.action_port}",
        # the trainer loads an activated model into each Rasa server, not through nginx
        rasa_server_base_urls=tuple(f"http://127.0.0.1:{port}" for port in layout.rasa))


def shared_environment(settings: Settings, base: Dict[str, str]) -> Dict[str, str]:
    env = child_environment(settings, base)
    env.update(TRACKER_DB_URL=settings.tracker_db_url, REDIS_URL=settings.redis_url,
               RASA_URL=settings.rasa_url, ACTION_URL=settings.action_base,
               RASA_SERVER_URLS=",".join(settings.rasa_server_urls),
               # the gateways stand behind nginx, which appends the client's address
               PROXIES_COUNT=str(min(10, settings.proxies_count + 1)),
               DEMO_HISTORY="false")
    return env


def rasa_command(settings: Settings, model: Path, port: int) -> List[str]:
    return [sys.executable, "-m", "bot.runtime.rasa_server", "run", "--enable-api",
            "--interface", "127.0.0.1", "--port", str(port), "--model", str(model),
            "--endpoints", ENDPOINTS, "--credentials",
            BENCH_CREDENTIALS if settings.rasa_rest_channel else CREDENTIALS]


def server_services(settings: Settings, layout: Layout, env: Dict[str, str], model: Path,
                    folder: Path) -> List[Service]:
    """SCALE action servers, Rasa servers and gateways, and nginx in front of them."""
    services: List[Service] = []
    for n, port in enumerate(layout.actions, 1):
        services.append(Service(
            name=f"action server {n}",
            command=[sys.executable, "-m", "bot.runtime.action_server", "--port", str(port)],
            ready_url=f"http://127.0.0.1:{port}/health", env=env))
    for n, port in enumerate(layout.rasa, 1):
        services.append(Service(
            name=f"Rasa server {n}", command=rasa_command(settings, model, port),
            ready_url=f"http://127.0.0.1:{port}/status?token={settings.rasa_token}",
            env=env, needs_model=True,
            prepare=lambda port=port: rasa_command(settings, active_model(settings, model),
                                                   port)))
    for n, port in enumerate(layout.gateways, 1):
        services.append(Service(
            name=f"gateway {n}", command=list(GATEWAY_COMMAND),
            ready_url=f"http://127.0.0.1:{port}/openapi.json",
            env={**env, "GATEWAY_PORT": str(port), "GATEWAY_HOST": "127.0.0.1"}))
    front = nginx_config.Upstream(
        "caredesk_gateways", f"{settings.gateway_host}:{settings.gateway_port}",
        [f"127.0.0.1:{port}" for port in layout.gateways])
    inner = [nginx_config.Upstream("caredesk_rasa", f"127.0.0.1:{settings.rasa_port}",
                                   [f"127.0.0.1:{port}" for port in layout.rasa]),
             nginx_config.Upstream("caredesk_actions", f"127.0.0.1:{settings.action_port}",
                                   [f"127.0.0.1:{port}" for port in layout.actions])]
    config = nginx_config.write(folder / "nginx", front, inner)
    services.append(Service(
        name="nginx", command=nginx_config.command(config),
        ready_url=f"http://127.0.0.1:{settings.gateway_port}/openapi.json", env=env,
        popen_options=_log_to(folder / "logs" / "nginx.log")))
    return services


def prepare_data(settings: Settings, layout: Layout, model: Path) -> Path:
    """The two databases, the schema, the demo company data when empty; returns the
    model file of the active version."""
    for name in (COMPANY_DATABASE, TRACKER_DATABASE):
        postgres_server.ensure_database(layout.postgres, name)
    upgrade(settings.database_url)
    ensure_company_data(settings)
    served, _build = ModelStore(session_factory(settings.database_url),
                                settings.model_store_dir).bootstrap(model)
    print(f"The Rasa servers load the active model version {served.name}.", flush=True)
    return served


def _ports(ports: List[int]) -> str:
    return ", ".join(f"127.0.0.1:{port}" for port in ports)


def banner(settings: Settings, layout: Layout, folder: Path) -> str:
    return f"""
CareDesk is running, scaled out: {layout.scale} gateways, {layout.scale} Rasa servers and \
{layout.scale} action servers behind nginx, on PostgreSQL and Redis.
  Chat page:           {settings.gateway_url}/
  Agent console:       {settings.gateway_url}/agent   (user admin, password CAREDESK_ADMIN_PASSWORD in .env)
  Customer API:        {settings.gateway_url}/openapi.json   Health: {settings.gateway_url}/healthz
  Rasa (nginx):        {settings.rasa_url}   Action servers (nginx): {settings.action_base}
  Behind nginx:        gateways on {_ports(layout.gateways)}, Rasa servers on \
{_ports(layout.rasa)}, action servers on {_ports(layout.actions)}
  PostgreSQL:          DATABASE_URL={settings.database_url}
                       TRACKER_DB_URL={settings.tracker_db_url}
  Redis:               REDIS_URL={settings.redis_url}
  Files and logs:      {folder}/
Press Ctrl-C to stop.
"""


def main(model: Path = MODEL_PATH, folder: Path = FOLDER) -> int:
    settings = Settings.from_env()
    refusal = cannot_start(settings, model, "make run-scaled")
    if refusal is not None:
        print(refusal, file=sys.stderr)
        return 2
    layout = Layout.on_free_ports(settings.scale)
    shared = scaled_settings(settings, layout)
    env = shared_environment(shared, {**environment(), **os.environ})
    print(f"Starting CareDesk scaled out ({settings.scale} of each) in {folder}...", flush=True)

    def servers() -> List[Service]:
        served = prepare_data(shared, layout, model)
        return server_services(shared, layout, env, served, folder)  # type: ignore[arg-type]

    return run([lambda: engine_services(layout, folder, env), servers],  # type: ignore[arg-type]
               lambda: banner(shared, layout, folder))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=FOLDER,
                        help="where the databases, nginx's files and the logs are kept")
    raise SystemExit(main(folder=parser.parse_args().folder.resolve()))
