"""The scaled profile (`make run-scaled`, bot.runtime.scaled) as it runs: PostgreSQL, Redis,
two action servers, two Rasa servers and two gateways behind nginx, started once for this
module on free ports with its own folder.

A customer and an agent on different gateways hear each other live; a conversation's
messages sent at once through nginx (so to both gateways and both Rasa servers) are
processed one after the other, as PostgreSQL's tracker store shows, under Rasa's lock of
the conversation, seen in Redis (the same turns without the lock store in Redis overlap
only now and then, so the lock is watched for itself); a gateway killed under a customer's WebSocket: the customer reconnects through nginx
to the other, nothing they sent is lost, and the supervisor starts the killed one again.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import contextmanager
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterator, List

import httpx
import pytest
import redis
import sqlalchemy as sa
import websockets

from tests.gateway.test_sessions import ready
from tests.gateway.test_two_gateways import next_of
from tests.product import MODEL_PATH, PROJECT_ROOT, CustomerClient, StaffClient, product_environment

READY_TIMEOUT = 420.0  # two Rasa servers load their models at once on two cores
LIVE_WITHIN = 15.0


@dataclass
class Scaled:
    """The running profile: its supervisor, settings and log, and what its banner says."""

    process: subprocess.Popen
    env: Dict[str, str]
    log: Path

    @property
    def url(self) -> str:
        """nginx, the one address in front of the gateways."""
        return f"http://127.0.0.1:{self.env['GATEWAY_PORT']}"

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def gateways(self) -> List[str]:
        """The gateways' own addresses, behind nginx."""
        ports = re.search(r"gateways on ([0-9.:, ]+), Rasa servers", self.text())
        assert ports, self.text()[-3000:]
        return [f"http://{address.strip()}" for address in ports.group(1).split(",")]

    def redis_url(self) -> str:
        found = re.search(r"REDIS_URL=(\S+)", self.text())
        assert found
        return found.group(1)

    def tracker_url(self) -> str:
        found = re.search(r"TRACKER_DB_URL=(\S+)", self.text())
        assert found
        return found.group(1)

    def pid_of(self, name: str) -> int:
        """The latest pid the supervisor gave for a child ("gateway 1 is ready (pid N)")."""
        found = re.findall(rf"{name} (?:is ready|is back) \(pid (\d+)\)", self.text())
        assert found, f"no pid for {name}"
        return int(found[-1])


@pytest.fixture(scope="module")
def scaled(request: pytest.FixtureRequest) -> Iterator[Scaled]:
    if not MODEL_PATH.exists():
        pytest.fail(f"no trained model at {MODEL_PATH}; `make test` trains it first")
    # not under pytest's temp folder, which only root may enter: PostgreSQL runs as
    # `postgres` when the tests run as root
    folder = Path(tempfile.mkdtemp(prefix="caredesk-scaled-"))
    folder.chmod(0o755)
    env = product_environment(folder, SCALE="2")
    log = folder / "scaled.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.runtime.scaled", "--folder", str(folder / "run")],
            cwd=PROJECT_ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    running = Scaled(process, env, log)
    try:
        deadline = time.monotonic() + READY_TIMEOUT
        while "CareDesk is running, scaled out" not in running.text():
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the scaled profile did not start:\n{running.text()[-4000:]}")
            time.sleep(0.5)
        yield running
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if request.session.testsfailed:  # the logs of nginx, PostgreSQL and Redis stay
            print(f"the scaled profile's files are kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


def ws_url(base: str, path: str) -> str:
    return base.replace("http", "ws", 1) + path


def handed_to_a_person(base: str) -> CustomerClient:
    customer = CustomerClient(base)
    assert customer.send(text="can I speak to a human please").json()["state"] == "queued"
    return customer


async def test_a_customer_on_one_gateway_and_an_agent_on_the_other_hear_each_other(
        scaled: Scaled) -> None:
    a, b = scaled.gateways()
    admin = StaffClient.admin(b)
    async with websockets.connect(ws_url(b, f"/api/v1/staff/ws?token={admin.token}")) as console:
        await ready(console)
        customer = handed_to_a_person(a)
        ticket = admin.ticket_of(customer.id)["id"]
        assert (await next_of(console, "ticket"))["ticket_id"] == ticket

        assert customer.send(text="is anyone there?").status_code == 200  # through A
        heard = await asyncio.wait_for(_next_message(console, "is anyone there?"), LIVE_WITHIN)
        assert heard["conversation_id"] == customer.id and heard["ticket_id"] == ticket
        assert heard["message"]["author"] == "customer"

        async with websockets.connect(customer.live_url(a)) as page:
            await ready(page)
            assert admin.http.post(f"/api/v1/tickets/{ticket}/claim").status_code == 200
            sent = admin.http.post(f"/api/v1/tickets/{ticket}/messages",  # through B
                                   json={"text": "Hello, I am looking into it now"})
            assert sent.status_code == 201
            message = await asyncio.wait_for(_next_from(page, "agent"), LIVE_WITHIN)
            assert message["text"] == "Hello, I am looking into it now"
            assert message["id"] == sent.json()["message"]["id"]


async def _next_message(socket: Any, text: str) -> Dict[str, Any]:
    while True:
        event = json.loads(await socket.recv())
        if event["type"] == "message" and event["message"]["text"] == text:
            return event


async def _next_from(socket: Any, author: str) -> Dict[str, Any]:
    while True:
        event = json.loads(await socket.recv())
        if event["type"] == "message" and event["message"]["author"] == author:
            return event["message"]


ROUNDS = [["what are your opening hours?", "do you ship abroad?"],
          ["how do I pay?", "thank you"],
          ["hi there", "do you have a warranty?"]]


@contextmanager
def lock_watch(redis_url: str, conversation_id: str) -> Iterator[List[bool]]:
    """Watches Redis for Rasa's lock of the conversation (RedisLockStore's key, with
    endpoints-scaled.yml's prefix) while the block runs; the list says whether it was seen."""
    client = redis.Redis.from_url(redis_url)
    seen: List[bool] = []
    done = threading.Event()

    def watch() -> None:
        while not done.is_set() and not seen:
            if client.exists(f"caredesk:lock:{conversation_id}"):
                seen.append(True)
            done.wait(0.005)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        yield seen
    finally:
        done.set()
        watcher.join(timeout=10)
        client.close()


def test_a_conversations_messages_sent_at_once_through_nginx_are_processed_in_turn(
        scaled: Scaled) -> None:
    customer = CustomerClient(scaled.url)
    # the session starts, and each gateway has served this conversation once, before the
    # messages race
    for gateway, text in zip(scaled.gateways(), ["hello", "thanks"]):
        assert customer.http.post(f"{gateway}/api/v1/conversations/{customer.id}/messages",
                                  json={"text": text}, headers=customer.headers).status_code == 200

    def send_at_once(texts: List[str]) -> List[int]:
        # a connection of its own each, sent together: nginx hands them to both gateways,
        # and the gateways' turns to both Rasa servers, in turn
        barrier = threading.Barrier(len(texts))

        def send(text: str) -> int:
            with httpx.Client(timeout=120) as http:
                barrier.wait(timeout=30)
                return http.post(f"{scaled.url}/api/v1/conversations/{customer.id}/messages",
                                 json={"text": text}, headers=customer.headers).status_code

        with ThreadPoolExecutor(len(texts)) as pool:
            return list(pool.map(send, texts))

    with lock_watch(scaled.redis_url(), customer.id) as seen:
        for texts in ROUNDS:
            assert send_at_once(texts) == [200] * len(texts)
    sent = [text for texts in ROUNDS for text in texts]
    # the Rasa servers held the conversation's lock in Redis (not each in its own memory)
    assert seen, "no Rasa lock of the conversation was ever in Redis"

    engine = sa.create_engine(scaled.tracker_url(), future=True)
    try:
        with engine.connect() as connection:
            rows = connection.execute(sa.text(
                "SELECT type_name, timestamp, data FROM events WHERE sender_id = :id "
                "ORDER BY id"), {"id": customer.id}).all()
    finally:
        engine.dispose()
    texts = [json.loads(data).get("text") for kind, _, data in rows if kind == "user"]
    assert texts[:2] == ["hello", "thanks"] and sorted(texts[2:]) == sorted(sent)
    # one turn at a time: each turn's work began after the turn before it ended (two Rasa
    # servers working on the conversation at once would interleave the times). A user
    # event carries the time the message arrived, before it waited for the lock.
    stamps = [stamp for kind, stamp, _ in rows if kind != "user"]
    assert stamps == sorted(stamps)
    kinds = [kind for kind, _, _ in rows]
    users = [n for n, kind in enumerate(kinds) if kind == "user"]
    for start, end in zip(users, users[1:] + [len(kinds)]):
        turn = kinds[start:end]
        assert "bot" in turn, turn
        assert json.loads(rows[end - 1][2]).get("name") == "action_listen", turn


async def test_a_killed_gateway_loses_nothing_and_comes_back(scaled: Scaled) -> None:
    customer = CustomerClient(scaled.url)
    customer.http.close()
    customer.http = httpx.Client(timeout=120)  # no kept-alive connection to one gateway
    sent = ["hello", "what are your opening hours?"]
    for text in sent:
        assert customer.send(text=text).status_code == 200

    def chat(after: int) -> str:
        return ws_url(scaled.url, f"/api/v1/conversations/{customer.id}/ws?"
                                  f"token={customer.token}&after={after}")

    # two pages open through nginx: they land on both gateways, so one of them is cut off
    pages = [await websockets.connect(chat(0)) for _ in range(2)]
    try:
        for page in pages:
            await ready(page)
        killed = scaled.pid_of("gateway 1")
        os.kill(killed, signal.SIGKILL)
        cut = await asyncio.wait_for(_first_closed(pages), LIVE_WITHIN)

        # meanwhile the customer keeps writing, as the chat page does: a message that the
        # dying gateway took is answered 502 by nginx and sent again with the same id;
        # nginx hands it to the living gateway
        for text in ["is my order late?", "thanks"]:
            assert resend_until_stored(customer, text) == 200
            sent.append(text)

        last = customer.transcript()["messages"][-1]["id"]
        async with websockets.connect(chat(last)) as again:  # the page reconnects
            await ready(again)
            assert resend_until_stored(customer, "one more question") == 200
            sent.append("one more question")
            heard = await asyncio.wait_for(_next_from(again, "customer"), LIVE_WITHIN)
            assert heard["text"] == "one more question"
        assert cut in pages
    finally:
        for page in pages:
            await page.close()

    said = [m["text"] for m in customer.transcript()["messages"] if m["author"] == "customer"]
    assert said == sent
    # the supervisor starts the killed gateway again
    deadline = time.monotonic() + 120
    while scaled.pid_of("gateway 1") == killed:
        assert time.monotonic() < deadline, scaled.text()[-3000:]
        await asyncio.sleep(0.5)
    assert "The gateway 1 stopped (code -9)" in scaled.text()
    gateway_one = scaled.gateways()[0]
    async with httpx.AsyncClient() as http:
        assert (await http.get(f"{gateway_one}/openapi.json")).status_code == 200


def resend_until_stored(customer: CustomerClient, text: str) -> int:
    """Sends `text` with a client message id until a gateway answers (bounded)."""
    client_id = uuid.uuid4().hex
    deadline = time.monotonic() + 30
    while True:
        try:
            status = customer.send(text=text, client_message_id=client_id).status_code
        except httpx.TransportError:
            status = 0
        if status not in (0, 502, 503) or time.monotonic() > deadline:
            return status
        time.sleep(0.2)


async def _first_closed(pages: List[Any]) -> Any:
    """The first of the sockets that the server closes (read until it does)."""
    async def drain(page: Any) -> Any:
        try:
            while True:
                await page.recv()
        except websockets.ConnectionClosed:
            return page

    tasks = [asyncio.ensure_future(drain(page)) for page in pages]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()
    return done.pop().result()
