"""Runs the action server, the Rasa server and the gateway side by side, keeps them up, and
stops them together.

Start-up order: settings and secrets from `.env`, the database schema (Alembic migrations),
the company's demo data when the database is empty, then the action server, the Rasa server
with the active model version (trainer.registry: the first time, the model `make` built
from the checkout) and the conversation gateway side by side.

Start-up failure stops the product: if a child exits before all three are ready, or one is
not ready within STARTUP_TIMEOUT_SECONDS, CareDesk says which and exits with code 1, so a
broken configuration (a bad model, a taken port, a missing setting) is seen at once instead
of being restarted in a loop.

Once CareDesk is running, a crash stops nothing else: a child that exits (killed, out of
memory, a bug) is started again after a back-off (bot.runtime.restarts: 1 s doubling to
30 s, back to 1 s once it has served for a minute), and each restart is logged with the
exit code and the wait ("The Rasa server stopped (code -9); restarting it in 1 s
(restart 1)."), then again when the child answers. A restarted Rasa server loads the model
version active at that moment (the trainer may have activated another); before the gateway
starts again, a training run it was running (which died with it) is marked failed, so the
workbench can start another. A restarted child that is not ready within
STARTUP_TIMEOUT_SECONDS is killed and restarted the same way; it is retried for as long as
CareDesk runs, because the other two keep serving (the gateway hands conversations to
people while Rasa is down). Meanwhile the gateway keeps every message, and /healthz shows
which part is down.

Ctrl-C (SIGINT) or SIGTERM stops every process, whatever state it is in.
"""

from __future__ import annotations

import json
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
from typing import Any, Callable, Dict, List, Optional, Sequence

from ground.envfile import PROJECT_ROOT
from bot.runtime.restarts import RestartPolicy
from ground.settings import Settings, VAR_DIR, environment
from bot.schema import upgrade
from ground.clock import utcnow
from ground.database import session_factory
from handoff.team_hours import TeamHours
from company.seed import is_empty, seed
from trainer.model_domain import missing_responses
from trainer.registry import ModelStore

MODEL_PATH = PROJECT_ROOT / "models" / "caredesk.tar.gz"
CREDENTIALS = "credentials.yml"
BENCH_CREDENTIALS = "bot/benchmarks/credentials.yml"  # adds Rasa's REST channel
STARTUP_TIMEOUT_SECONDS = 300.0
STOP_TIMEOUT_SECONDS = 15.0
WATCH_SECONDS = 0.5
GATEWAY_COMMAND = (sys.executable, "-m", "bot.gateway")


@dataclass
class Service:
    """One child process, how to tell that it is ready, and where it is in a restart."""

    name: str
    command: List[str]
    ready_url: str
    env: Dict[str, str]
    needs_model: bool = False  # ready means a model is loaded (Rasa answers /status before)
    # runs before each restart and returns the command: the Rasa server loads the model
    # active then; the gateway's interrupted training runs are marked failed first
    prepare: Optional[Callable[[], List[str]]] = field(default=None, repr=False)
    # ready when this says so, instead of ready_url answering (a database, Redis)
    probe: Optional[Callable[[], bool]] = field(default=None, repr=False)
    popen_options: Dict[str, Any] = field(default_factory=dict, repr=False)  # user=, stdout=
    # PostgreSQL's SIGTERM waits for its clients to leave; SIGINT ends their sessions
    stop_signal: int = signal.SIGTERM
    policy: RestartPolicy = field(default_factory=RestartPolicy)
    process: Optional[subprocess.Popen] = field(default=None, repr=False)
    restart_at: Optional[float] = None  # stopped: when to start it again
    starting_since: Optional[float] = None  # restarted, not ready yet
    down_since: Optional[float] = None  # when it stopped (for "back after N s")

    def start(self) -> None:
        self.process = subprocess.Popen(self.command, env=self.env, cwd=PROJECT_ROOT,
                                        **self.popen_options)

    def exited(self) -> Optional[int]:
        return None if self.process is None else self.process.poll()

    @property
    def pid(self) -> Optional[int]:
        return None if self.process is None else self.process.pid

    def is_ready(self) -> bool:
        if self.probe is not None:
            return self.probe()
        try:
            with urllib.request.urlopen(self.ready_url, timeout=2) as response:
                body = response.read()
        except (urllib.error.URLError, OSError):
            return False
        if self.needs_model:
            try:
                return bool(json.loads(body or b"{}").get("model_id"))
            except ValueError:
                return False
        return True


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


def stale_domain_warning(served: Path, domain: Path, build: int) -> Optional[str]:
    """What the active model version lacks that this checkout's code says (its responses:
    Rasa drops those messages without a word), or None when it lacks nothing."""
    try:
        missing = missing_responses(served, domain)
    except (OSError, ValueError) as error:  # the checkout's domain, or the model file
        return f"Could not compare the active model's domain with this checkout ({error})."
    if not missing:
        return None
    shown = ", ".join(missing[:8]) + (f" and {len(missing) - 8} more" if len(missing) > 8 else "")
    return (f"WARNING: the active model version {served.name} lacks {len(missing)} response(s) this "
            f"checkout's code uses ({shown}); those messages are not sent until a model trained "
            f"from this checkout is active: `make trainer ARGS=\"activate {build}\"`.")


def rasa_command(settings: Settings, model: Path) -> List[str]:
    """`rasa run` serving `model`, through CareDesk's runner (bot.runtime.rasa_server)."""
    # the API token reaches Rasa through RASA_TOKEN in env (bot.runtime.rasa_server)
    return [sys.executable, "-m", "bot.runtime.rasa_server", "run", "--enable-api",
            "--interface", "127.0.0.1",
            "--port", str(settings.rasa_port), "--model", str(model),
            "--endpoints", "endpoints.yml", "--credentials",
            BENCH_CREDENTIALS if settings.rasa_rest_channel else CREDENTIALS]


def active_model(settings: Settings, fallback: Path) -> Path:
    """The model file of the version active now (the trainer may have activated another
    since start-up); `fallback` when the registry cannot say or the file is gone."""
    try:
        store = ModelStore(session_factory(settings.database_url), settings.model_store_dir)
        active = store.active()
    except Exception as error:  # a database hiccup must not stop the restart
        print(f"Could not read the active model version ({type(error).__name__}); "
              f"the Rasa server loads {fallback.name}.", file=sys.stderr, flush=True)
        return fallback
    path = store.model_path(active.id) if active is not None else fallback
    return path if path.exists() else fallback


def forget_gateway_runs(settings: Settings) -> List[str]:
    """Before the gateway starts again: a training run it was running died with it (the
    run's processes wrote to it), so it is marked failed and a new run may start. Returns
    the gateway's command."""
    try:
        store = ModelStore(session_factory(settings.database_url), settings.model_store_dir)
        if store.forget_interrupted("the gateway stopped during the run"):
            print("The training run the gateway was running is marked failed (interrupted).",
                  file=sys.stderr, flush=True)
    except Exception as error:  # a database hiccup must not stop the restart
        print(f"Could not check for an interrupted training run ({type(error).__name__}).",
              file=sys.stderr, flush=True)
    return list(GATEWAY_COMMAND)


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
            command=rasa_command(settings, model),
            ready_url=f"{settings.rasa_url}/status?token={settings.rasa_token}",
            env=env,
            needs_model=True,
            prepare=lambda: rasa_command(settings, active_model(settings, model)),
        ),
        Service(
            name="gateway",
            command=list(GATEWAY_COMMAND),
            ready_url=f"http://127.0.0.1:{settings.gateway_port}/openapi.json",
            env=env,
            prepare=lambda: forget_gateway_runs(settings),
        ),
    ]


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
    """The report's demo history (bot.demo_history), once, unless DEMO_HISTORY is off."""
    if not settings.demo_history:
        return
    from bot.demo_history import SEED, seed_history

    added = seed_history(session_factory(settings.database_url), settings.tracker_db_path,
                         utcnow(), random.Random(SEED))
    if added:
        print(f"Seeded the demo service history ({added} conversations over 60 days).", flush=True)


def stop_all(services: List[Service]) -> None:
    running = [s for s in services if s.process is not None and s.process.poll() is None]
    for service in running:
        service.process.send_signal(service.stop_signal)  # type: ignore[union-attr]
    deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
    for service in running:
        try:
            service.process.wait(timeout=max(0.1, deadline - time.monotonic()))  # type: ignore[union-attr]
        except subprocess.TimeoutExpired:
            service.process.kill()  # type: ignore[union-attr]
            service.process.wait()  # type: ignore[union-attr]


class _Stop(BaseException):
    """Ctrl-C or SIGTERM; not an Exception, so that no `except Exception` swallows it."""


def _raise_stop(signum: int, _frame: object) -> None:
    raise _Stop(signum)


def wait_until_ready(services: List[Service], timeout: float = STARTUP_TIMEOUT_SECONDS) -> None:
    """Waits for every child; a child that exits first, or a timeout, is a start-up
    failure (RuntimeError), which stops the product."""
    deadline = time.monotonic() + timeout
    pending = list(services)
    while pending:
        for service in list(pending):
            code = service.exited()
            if code is not None:
                raise RuntimeError(f"the {service.name} exited during start-up (code {code})")
            if service.is_ready():
                print(f"  {service.name} is ready (pid {service.pid})", flush=True)
                service.policy.ready()
                pending.remove(service)
        if time.monotonic() > deadline:
            names = ", ".join(s.name for s in pending)
            raise RuntimeError(f"not ready after {timeout:.0f}s: {names}")
        time.sleep(WATCH_SECONDS)


def _log(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def tend(service: Service, log: Callable[[str], None] = _log,
         startup_timeout: float = STARTUP_TIMEOUT_SECONDS) -> None:
    """One look at a child once CareDesk runs: a stopped child is started again when its
    back-off is over, a restarted one is announced when it answers, and one that never
    gets ready is killed (and so restarted)."""
    now = service.policy.clock()
    if service.restart_at is not None:
        if now >= service.restart_at:
            service.restart_at = None
            if service.prepare is not None:
                service.command = service.prepare()
            service.start()
            service.starting_since = now
            log(f"Restarting the {service.name} (pid {service.pid}).")
        return
    code = service.exited()
    if code is not None:
        delay = service.policy.stopped()
        service.restart_at = now + delay
        service.starting_since = None
        if service.down_since is None:
            service.down_since = now
        log(f"The {service.name} stopped (code {code}); restarting it in {delay:g} s "
            f"(restart {service.policy.restarts}).")
        return
    if service.starting_since is None:
        return
    if service.is_ready():
        service.policy.ready()
        log(f"The {service.name} is back (pid {service.pid}), "
            f"{now - (service.down_since or now):.0f} s after it stopped.")
        service.starting_since = service.down_since = None
    elif now - service.starting_since > startup_timeout:
        log(f"The {service.name} is not ready {startup_timeout:.0f} s after its restart; "
            f"stopping it to start it again.")
        service.process.kill()  # type: ignore[union-attr]


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


def cannot_start(settings: Settings, model: Path, command: str) -> Optional[str]:
    """Why CareDesk cannot start (a missing secret or model, a taken port), saying which
    `command` sets it up; None when it can."""
    for key, value in (("RASA_TOKEN", settings.rasa_token),
                       ("ACTION_SERVER_SECRET", settings.action_server_secret)):
        if not value:
            return f"{key} is not set: run `{command}`, which creates .env"
    if not model.exists():
        return f"No trained model at {model}: run `{command}`, which trains one"
    try:
        TeamHours.parse(settings.support_hours, settings.support_timezone)
    except ValueError as error:
        return f"SUPPORT_HOURS or SUPPORT_TIMEZONE in .env: {error}"
    for port in (settings.action_port, settings.rasa_port, settings.gateway_port):
        if not port_is_free(port):
            return f"Port {port} is in use; stop what uses it or change it in .env"
    return None


def main(model: Path = MODEL_PATH) -> int:
    settings = Settings.from_env()
    refusal = cannot_start(settings, model, "make run")
    if refusal is not None:
        print(refusal, file=sys.stderr)
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
        warning = stale_domain_warning(served, PROJECT_ROOT / "domain", build)
        if warning:
            print(warning, file=sys.stderr, flush=True)
    env = child_environment(settings, environment())  # .env, overridden by the real environment
    services = build_services(settings, env, served)
    print("Starting CareDesk (the Rasa server needs about a minute to load its model)...",
          flush=True)
    return run([lambda: services], lambda: banner(settings))


def run(stages: Sequence[Callable[[], List[Service]]], announce: Callable[[], str]) -> int:
    """Starts the children stage by stage (a stage's function runs, and its children
    start, once the children of the stages before it are ready: the databases before the
    migrations, the migrations before the servers), keeps them all up until Ctrl-C or
    SIGTERM, and stops them in the reverse order. A start-up failure stops everything."""
    started: List[List[Service]] = []
    signal.signal(signal.SIGTERM, _raise_stop)
    signal.signal(signal.SIGINT, _raise_stop)
    begun = time.monotonic()
    try:
        for stage in stages:
            services = stage()
            started.append(services)
            for service in services:
                service.start()
            wait_until_ready(services)
        print(f"Ready in {time.monotonic() - begun:.0f}s.", flush=True)
        print(announce(), flush=True)
        while True:
            for services in started:
                for service in services:
                    tend(service)
            time.sleep(WATCH_SECONDS)
    except _Stop:
        print("\nStopping CareDesk...", flush=True)
        return 0
    except Exception as error:
        if len(started) < len(stages) or isinstance(error, RuntimeError):
            # a child not ready (RuntimeError), or a stage's own work failed
            print(f"CareDesk could not start: {error}", file=sys.stderr)
            return 1
        raise
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        for services in reversed(started):
            stop_all(services)
