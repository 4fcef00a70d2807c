"""The whole product (`python -m bot.runtime`, what `make run` starts) on free ports, for tests.

Real processes over real HTTP: the action server, the Rasa server with the trained model
and the gateway, each test session with its own SQLite databases.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional

import httpx
from sqlalchemy import select

from bot.runtime.launch import free_port, launch

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MODEL_PATH = PROJECT_ROOT / "models" / "caredesk.tar.gz"
READY_TIMEOUT = 300
ADMIN_PASSWORD = "test-admin-password-not-secret"


def product_environment(folder: Path, **extra: str) -> Dict[str, str]:
    """Settings for a product (or a lone gateway) living in `folder`, on free ports."""
    env = {
        **os.environ,
        "RASA_TOKEN": "test-token-not-secret",
        "GATEWAY_SECRET": "test-gateway-secret-not-secret-0123456789",
        "RASA_CHANNEL_SECRET": "test-channel-secret-not-secret-0123456789",
        "ACTION_SERVER_SECRET": "test-action-secret-not-secret-0123456789",
        "TELEGRAM_WEBHOOK_SECRET": "test-telegram-secret",
        "REQUIREMENTS_WEBHOOK_SECRET": "test-webhook-secret-not-secret-0123456789",
        "TELEGRAM_BOT_TOKEN": "",
        "RASA_PORT": str(free_port()),
        "ACTION_PORT": str(free_port()),
        "GATEWAY_PORT": str(free_port()),
        "DATABASE_URL": f"sqlite:///{folder / 'caredesk.db'}",
        "TRACKER_DB_PATH": str(folder / "tracker.db"),
        "RASA_TELEMETRY_ENABLED": "false",
        # the test clients send many messages from one address
        "MESSAGE_RATE_PER_MINUTE": "1000",
        "MESSAGE_RATE_PER_ADDRESS_PER_MINUTE": "100000",
        "CONVERSATION_RATE_PER_MINUTE": "1000",
        "CAREDESK_ADMIN_PASSWORD": ADMIN_PASSWORD,
        "LOGIN_RATE_PER_MINUTE": "1000",
        "IDENTITY_FAILURES_PER_ADDRESS": "1000",
        # a loaded test machine (browser, PostgreSQL, Rasa, actions on two cores) can take
        # longer than production's 8 s for a first reply; a timeout here is not a test subject
        "RASA_TIMEOUT_SECONDS": "30",
        # tests create the data they assert on
        "DEMO_HISTORY": "false",
        # what a handoff says does not depend on the hour a test runs at (the hours themselves:
        # tests/handoff/test_team_hours.py, tests/actions/test_handoff.py)
        "SUPPORT_HOURS": "always",
        # model versions stay with the test's own database, never in this checkout
        "MODEL_STORE_DIR": str(folder / "model-versions"),
    }
    env.update(extra)
    return env


class RunningProcess:
    """A started CareDesk process, its settings and its log."""

    def __init__(self, process: subprocess.Popen, env: Dict[str, str], log: Path) -> None:
        self.process = process
        self.env = env
        self.log = log

    @property
    def gateway_url(self) -> str:
        return f"http://127.0.0.1:{self.env['GATEWAY_PORT']}"

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.env['RASA_PORT']}"

    def served_model(self) -> str:
        """The file name of the model the Rasa server answers with."""
        status = httpx.get(f"{self.rasa_url}/status", params={"token": self.env["RASA_TOKEN"]},
                           timeout=30)
        status.raise_for_status()
        return Path(status.json()["model_file"]).name

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start(module: str, env: Dict[str, str], log: Path, ready: str) -> RunningProcess:
    """Runs `python -m module` and waits until `ready` appears in its log."""
    return RunningProcess(launch(module, env, log, ready, READY_TIMEOUT), env, log)


def start_product(folder: Path, **extra: str) -> RunningProcess:
    if not MODEL_PATH.exists():
        raise RuntimeError(f"no trained model at {MODEL_PATH}; `make test` trains it first")
    return start("bot.runtime", product_environment(folder, **extra), folder / "product.log",
                 "CareDesk is running.")


def start_gateway(folder: Path, env: Dict[str, str]) -> RunningProcess:
    """A gateway alone (for failure tests): Rasa is wherever `env` says, or nowhere."""
    process = start("bot.gateway", env, folder / "gateway.log", "Starting worker")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{process.gateway_url}/openapi.json", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.stop()
    raise RuntimeError(f"gateway did not answer:\n{folder.joinpath('gateway.log').read_text()[-3000:]}")


@dataclass(frozen=True)
class SpareOrder:
    number: str
    email: str
    postcode: str
    tracking_number: str


def spare_orders(database_url: str) -> List[SpareOrder]:
    """Shipped or delivered orders of the seeded random customers (never the README's demo
    customers), one per customer, in a fixed order. Tests that fail identity checks on
    purpose use these, so that the locks they cause never touch orders other tests verify;
    each such test takes its own index."""
    from ground.database import session_factory
    from company.models import Customer, Order, OrderStatus

    with session_factory(database_url)() as session:
        orders = session.execute(
            select(Order).join(Customer).where(
                Order.number >= "HG-100100", Customer.email.like("%@example.org"),
                Order.status.in_([OrderStatus.SHIPPED, OrderStatus.DELIVERED]))
            .order_by(Order.number)
        ).scalars().all()
        spare: Dict[int, SpareOrder] = {}
        for order in orders:
            if order.customer_id not in spare and order.shipment is not None:
                spare[order.customer_id] = SpareOrder(order.number, order.customer.email,
                                                      order.ship_postcode,
                                                      order.shipment.tracking_number)
        return list(spare.values())


class CustomerClient:
    """A web-chat customer speaking the gateway's HTTP API."""

    def __init__(self, base_url: str, http: Optional[httpx.Client] = None) -> None:
        self.base_url = base_url
        self.http = http or httpx.Client(timeout=60)
        created = self.http.post(f"{base_url}/api/v1/conversations")
        created.raise_for_status()
        body = created.json()
        self.id: str = body["id"]
        self.token: str = body["token"]

    @property
    def headers(self) -> Dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def send(self, **body: Any) -> httpx.Response:
        return self.http.post(f"{self.base_url}/api/v1/conversations/{self.id}/messages",
                              json=body, headers=self.headers)

    def say(self, text: str) -> str:
        response = self.send(text=text)
        response.raise_for_status()
        return " ".join(r["text"] or "" for r in response.json()["replies"])

    def transcript(self, after: int = 0) -> Dict[str, Any]:
        response = self.http.get(f"{self.base_url}/api/v1/conversations/{self.id}/messages",
                                 params={"after": after}, headers=self.headers)
        response.raise_for_status()
        return response.json()

    def live_url(self, base_url: str) -> str:
        """The conversation's WebSocket on the gateway at `base_url`, hearing only what
        comes after the last message so far."""
        after = self.transcript()["messages"][-1]["id"]
        return (base_url.replace("http", "ws", 1) + f"/api/v1/conversations/{self.id}/ws"
                f"?token={self.token}&after={after}")


def told_an_order_on_schedule(product: RunningProcess) -> CustomerClient:
    """A new customer told that demo order HG-100002 is on its way, on schedule."""
    customer = CustomerClient(product.gateway_url)
    customer.say("where is HG-100002")
    assert "should arrive by" in customer.say("LS6 2QT")
    return customer


class StaffClient:
    """A staff member speaking the staff API (logs in on creation)."""

    def __init__(self, base_url: str, username: str, password: str) -> None:
        self.base_url = base_url
        self.http = httpx.Client(base_url=base_url, timeout=60)
        response = self.http.post("/api/v1/auth/login", json={"username": username, "password": password})
        response.raise_for_status()
        self.token: str = response.json()["token"]
        self.user: Dict[str, Any] = response.json()["user"]
        self.http.headers["Authorization"] = f"Bearer {self.token}"

    @classmethod
    def admin(cls, base_url: str) -> "StaffClient":
        return cls(base_url, "admin", ADMIN_PASSWORD)

    def add(self, username: str, role: str, skills: tuple = (), password: str = "") -> "StaffClient":
        """Creates a colleague (this client must be an admin) and logs them in."""
        password = password or f"{username}-password-0123"
        response = self.http.post("/api/v1/staff", json={
            "username": username, "password": password, "role": role,
            "display_name": username.split("-")[0].title(), "skills": list(skills)})
        response.raise_for_status()
        return StaffClient(self.base_url, username, password)

    def tickets(self, **params: Any) -> List[Dict[str, Any]]:
        response = self.http.get("/api/v1/tickets", params=params)
        response.raise_for_status()
        return response.json()["tickets"]

    def ticket_of(self, conversation_id: str) -> Dict[str, Any]:
        found = self.tickets(conversation_id=conversation_id)
        assert len(found) == 1, found
        return found[0]
