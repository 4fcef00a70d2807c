"""Staying up: the whole product (`python -m bot.runtime`) while each of its child processes
in turn is killed with SIGKILL in the middle of a conversation rush.

Web customers and Telegram chats talk to the bot, one web and one Telegram customer are in
a handoff with an agent who keeps replying; clients resend with the same id after a
dropped connection (as the chat page, the agent console and Telegram do). For each kill
the test checks that the other processes kept serving, that the supervisor brought the
killed one back (a new pid that answers), that every customer message is stored once and
was answered or handed over, that every agent reply reached its customer once, and that
a new conversation gets the bot's answer afterwards.
"""

from __future__ import annotations

import itertools
import os
import signal
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Optional, Tuple

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from ground.clock import utcnow
from ground.database import create_database_engine
from tests.gateway.fake_telegram import Call, FakeTelegram
from tests.gateway.test_telegram import message_update
from tests.product import CustomerClient, RunningProcess, StaffClient, start_product
from tests.waiting import wait_until

TELEGRAM_TOKEN = "654321:staying-up-token-for-the-fake"
MODULES = {"action server": "bot.runtime.action_server", "Rasa server": "bot.runtime.rasa_server",
           "gateway": "bot.gateway"}
BOT_TEXTS = ["hello", "what are your opening hours?", "do you deliver to France?",
             "what subscription plans do you have?", "thanks"]
HANDOFF_TEXTS = ["are you still there?", "it's about my order HG-100002", "thank you"]
RESEND_DEADLINE = 180.0  # a client gives up after this (the Rasa server reloads its model)
BACK_DEADLINE = 240.0  # the killed process must answer again within this
QUIET_DEADLINE = 120.0


# --- the processes ------------------------------------------------------------------------
def children(supervisor: int) -> Dict[str, int]:
    """The supervisor's live child processes, by the module they run (from /proc)."""
    found: Dict[str, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            args = [a.decode() for a in (entry / "cmdline").read_bytes().split(b"\0") if a]
        except (OSError, IndexError, ValueError):
            continue  # gone meanwhile
        if ppid == supervisor and "-m" in args[:-1]:
            found[args[args.index("-m") + 1]] = int(entry.name)
    return found


def answers(product: RunningProcess, name: str) -> bool:
    """Whether the process serves: its health endpoint answers."""
    env = product.env
    try:
        if name == "gateway":
            # 503 too: the gateway answers and reports a part that is down
            return httpx.get(f"{product.gateway_url}/healthz", timeout=5).status_code in (200, 503)
        if name == "Rasa server":
            status = httpx.get(f"{product.rasa_url}/status", params={"token": env["RASA_TOKEN"]},
                               timeout=5)
            return status.status_code == 200 and bool(status.json().get("model_id"))
        return httpx.get(f"http://127.0.0.1:{env['ACTION_PORT']}/health", timeout=5).status_code == 200
    except httpx.HTTPError:
        return False


@dataclass
class Outage:
    name: str
    old_pid: int
    killed_at: float
    # the same moment on the clock the database's timestamps use
    killed_wall: datetime = field(default_factory=utcnow)
    back_at: float = 0.0
    new_pid: int = 0
    others_served: Dict[str, int] = field(default_factory=dict)

    @property
    def seconds(self) -> float:
        return self.back_at - self.killed_at


def kill_and_wait_until_back(product: RunningProcess, name: str) -> Outage:
    """SIGKILLs the child; watches the other two answer until the killed one is back."""
    old = children(product.process.pid)[MODULES[name]]
    os.kill(old, signal.SIGKILL)
    outage = Outage(name, old, time.monotonic(), others_served={n: 0 for n in MODULES if n != name})

    def back() -> Optional[int]:
        for other in outage.others_served:
            outage.others_served[other] += answers(product, other)
        pid = children(product.process.pid).get(MODULES[name])
        if pid is not None and pid != old and answers(product, name):
            return pid
        assert product.process.poll() is None, f"the supervisor stopped:\n{tail(product)}"
        return None

    outage.new_pid = wait_until(back, BACK_DEADLINE,
                                lambda: f"the {name} is not back:\n{tail(product)}", interval=0.3)
    outage.back_at = time.monotonic()
    return outage


def wait_for_log(product: RunningProcess, line: str, timeout: float = 30.0) -> None:
    wait_until(lambda: line in product.log.read_text(errors="replace"), timeout,
               lambda: f"not in the log: {line!r}\n{tail(product)}")


def tail(product: RunningProcess) -> str:
    return product.log.read_text(errors="replace")[-6000:]


# --- the traffic --------------------------------------------------------------------------
@dataclass(frozen=True)
class Sent:
    """A customer message the gateway took: which conversation (web) or chat (Telegram)."""

    where: str
    client_id: str
    accepted_at: float


@dataclass(frozen=True)
class AgentReply:
    ticket_id: int
    where: str  # the conversation id (web) or Telegram chat
    text: str


class Traffic:
    """Clients in threads, each resending what the gateway did not take."""

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._abandoned = threading.Event()
        self._lock = threading.Lock()
        self._threads: List[threading.Thread] = []
        self.in_flight = 0
        self.sent: List[Sent] = []
        self.replies: List[AgentReply] = []
        self.errors: List[str] = []

    def deliver(self, attempt: Callable[[], httpx.Response]) -> httpx.Response:
        """Calls until the gateway takes it; a dropped connection or a 5xx is resent as is."""
        deadline = time.monotonic() + RESEND_DEADLINE
        while True:
            with self._lock:
                self.in_flight += 1
            try:
                response: Optional[httpx.Response] = attempt()
            except httpx.TransportError:
                response = None
            finally:
                with self._lock:
                    self.in_flight -= 1
            if response is not None and response.status_code < 300:
                return response
            if response is not None and response.status_code < 500:
                raise AssertionError(f"refused: {response.status_code} {response.text}")
            assert time.monotonic() < deadline, "the gateway did not take it in time"
            assert not self._abandoned.is_set(), "abandoned"
            time.sleep(0.3)

    def keep(self, name: str, step: Callable[[], None], pause: float) -> None:
        """Runs `step` again and again (every `pause` s) until `stop`."""
        def loop() -> None:
            try:
                while not self._stop.is_set():
                    step()
                    self._stop.wait(pause)
            except BaseException as error:  # reported by the test thread
                self.errors.append(f"{name}: {error!r}")
        thread = threading.Thread(target=loop, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    def record(self, sent: Sent) -> None:
        with self._lock:
            self.sent.append(sent)

    def accepted_since(self, moment: float) -> int:
        with self._lock:
            return sum(1 for s in self.sent if s.accepted_at >= moment)

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=RESEND_DEADLINE + 30)
        assert not self.errors, self.errors

    def abandon(self) -> None:
        """The test failed: the clients stop resending."""
        self._abandoned.set()
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=30)


def web_customer(traffic: Traffic, customer: CustomerClient, texts: List[str]) -> Callable[[], None]:
    cycle = itertools.cycle(texts)

    def step() -> None:
        said, client_id = next(cycle), uuid.uuid4().hex
        traffic.deliver(lambda: customer.send(text=said, client_message_id=client_id))
        traffic.record(Sent(customer.id, client_id, time.monotonic()))
    return step


def telegram_customer(traffic: Traffic, product: RunningProcess, chat: int,
                      texts: List[str]) -> Callable[[], None]:
    cycle = itertools.cycle(texts)
    http = httpx.Client(timeout=60)
    headers = {"X-Telegram-Bot-Api-Secret-Token": product.env["TELEGRAM_WEBHOOK_SECRET"]}

    def step() -> None:
        update = message_update(chat, text=next(cycle))  # Telegram redelivers the same update
        traffic.deliver(lambda: http.post(f"{product.gateway_url}/telegram/webhook",
                                          json=update, headers=headers))
        traffic.record(Sent(str(chat), f"tg:{update['update_id']}", time.monotonic()))
    return step


def agent_replying(traffic: Traffic, agent: StaffClient,
                   tickets: List[Tuple[int, str]], label: str) -> Callable[[], None]:
    cycle, numbers = itertools.cycle(tickets), itertools.count(1)

    def step() -> None:
        (ticket_id, where), said = next(cycle), f"{label} reply {next(numbers)}: still on it"
        client_id = uuid.uuid4().hex
        traffic.deliver(lambda: agent.http.post(f"/api/v1/tickets/{ticket_id}/messages",
                                                json={"text": said, "client_message_id": client_id}))
        traffic.replies.append(AgentReply(ticket_id, where, said))
    return step


# --- the product and what it stored -------------------------------------------------------
class World:
    """The product, its fake Bot API, its database, an agent with two handoffs, and every
    message sent to it so far."""

    def __init__(self, product: RunningProcess, telegram: FakeTelegram) -> None:
        self.product = product
        self.telegram = telegram
        self.db: Engine = create_database_engine(product.env["DATABASE_URL"])
        self.chats = itertools.count(91000)
        self.sent: List[Sent] = []
        self.replies: List[AgentReply] = []
        self.kills: List[Outage] = []
        self.agent = StaffClient.admin(product.gateway_url).add("kim-staying-up", "agent")
        self.handoff_web = CustomerClient(product.gateway_url)
        asked = self.handoff_web.send(text="I want to talk to a person", client_message_id="ask")
        assert asked.json()["state"] == "queued", asked.text
        self.sent.append(Sent(self.handoff_web.id, "ask", time.monotonic()))
        self.handoff_chat = next(self.chats)
        update = message_update(self.handoff_chat, text="I want to talk to a person")
        self.post(update)
        self.sent.append(Sent(str(self.handoff_chat), f"tg:{update['update_id']}", time.monotonic()))
        self.handoffs: List[Tuple[int, str]] = []
        for where in (self.handoff_web.id, str(self.handoff_chat)):
            ticket = self.wait_for_ticket(self.conversation_of(where))
            claimed = self.agent.http.post(f"/api/v1/tickets/{ticket}/claim")
            assert claimed.status_code == 200, claimed.text
            self.handoffs.append((ticket, where))

    def post(self, update: Dict) -> None:
        headers = {"X-Telegram-Bot-Api-Secret-Token": self.product.env["TELEGRAM_WEBHOOK_SECRET"]}
        response = httpx.post(f"{self.product.gateway_url}/telegram/webhook", json=update,
                              headers=headers, timeout=60)
        assert response.status_code == 200, response.text

    def query(self, sql: str, **params: object) -> List[Tuple]:
        with self.db.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql), params)]

    def conversation_of(self, where: str) -> str:
        """A web conversation id, or the conversation of a Telegram chat."""
        if not where.isdigit():
            return where
        found = wait_until(lambda: self.query(
            "SELECT c.id FROM conversations c JOIN channel_identities i ON i.id = c.identity_id "
            "WHERE i.channel = 'telegram' AND i.external_id = :chat", chat=where),
            60, f"no conversation for chat {where}")
        return found[0][0]

    def wait_for_ticket(self, conversation_id: str) -> int:
        found = wait_until(lambda: self.query("SELECT id FROM tickets WHERE conversation_id = :c "
                                              "AND status != 'resolved'", c=conversation_id),
                           60, f"no ticket for {conversation_id}")
        return found[0][0]

    def wait_until_quiet(self) -> None:
        """Every stored customer message routed, every Telegram delivery sent."""
        def counts() -> Tuple[int, int]:
            return (self.query("SELECT count(*) FROM messages WHERE direction = 'in' "
                               "AND handled_at IS NULL")[0][0],
                    self.query("SELECT count(*) FROM deliveries WHERE status != 'sent'")[0][0])

        wait_until(lambda: counts() == (0, 0), QUIET_DEADLINE,
                   lambda: "{} unrouted messages, {} unsent deliveries:\n".format(*counts())
                   + tail(self.product), interval=0.3)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    telegram = FakeTelegram(TELEGRAM_TOKEN)
    telegram.start()
    product = start_product(tmp_path_factory.mktemp("staying-up"),
                            TELEGRAM_BOT_TOKEN=TELEGRAM_TOKEN,
                            TELEGRAM_API_BASE_URL=telegram.base_url)
    try:
        yield World(product, telegram)
    finally:
        product.stop()
        telegram.stop()


# --- the checks ---------------------------------------------------------------------------
def check_customer_messages(world: World, wheres: List[str]) -> None:
    """Each message stored once (no resend stored twice, none lost), each routed, and each
    answered by the bot or the gateway, or its conversation handed over to a person."""
    for where in wheres:
        conversation = world.conversation_of(where)
        mine = [s.client_id for s in world.sent if s.where == where]
        stored = world.query("SELECT id, client_message_id, handled_at FROM messages "
                             "WHERE conversation_id = :c AND author = 'customer' ORDER BY id",
                             c=conversation)
        client_ids = [row[1] for row in stored]
        assert sorted(client_ids) == sorted(mine), (where, client_ids, mine)
        assert all(row[2] is not None for row in stored), where
        handed_over = world.query("SELECT count(*) FROM tickets WHERE conversation_id = :c",
                                  c=conversation)[0][0]
        if handed_over:
            continue
        for message_id, client_id, _ in stored:
            answered = world.query(
                "SELECT count(*) FROM messages WHERE conversation_id = :c AND id > :m "
                "AND author IN ('bot', 'system')", c=conversation, m=message_id)[0][0]
            assert answered, f"{client_id} in {where} was neither answered nor handed over"


def marked_sent(world: World, conversation: str, said: str, author_clause: str) -> List[datetime]:
    """When each delivery of the messages saying `said` in the conversation was marked sent."""
    rows = world.query(
        "SELECT d.sent_at FROM deliveries d JOIN messages m ON m.id = d.message_id "
        f"WHERE m.conversation_id = :c AND m.text = :t AND {author_clause}", c=conversation, t=said)
    return [row[0] if isinstance(row[0], datetime) else datetime.fromisoformat(row[0])
            for row in rows if row[0] is not None]


def surplus_explained(calls: List[Call], marks: List[datetime], stored: int,
                      outages: List[Outage]) -> bool:
    """Each message went to Telegram once, or once more for each delivery the killed gateway
    sent but never marked sent: Telegram has no idempotency key, so a gateway killed between
    the Bot API's answer and the delivery's "sent" mark sends it again when it is back. Such
    a delivery was sent before the kill and marked only after it, by the new gateway."""
    if len(calls) <= stored:
        return len(calls) == stored
    resent = sum(1 for mark in marks
                 if any(o.name == "gateway" and o.killed_wall <= mark
                        and any(c.at <= o.killed_at for c in calls) for o in outages))
    return len(calls) <= stored + resent


def delivery_story(world: World, conversation: str, said: str, calls: List[Call]) -> str:
    """For a failed check: when each Bot API call came (seconds after each kill), the
    messages' delivery rows, and what the gateway logged about deliveries."""
    kills = [(o.name, o.killed_at, o.back_at) for o in world.kills]
    rows = world.query(
        "SELECT m.id, m.created_at, d.id, d.status, d.attempts, d.sent_at, d.last_error "
        "FROM messages m LEFT JOIN deliveries d ON d.message_id = m.id "
        "WHERE m.conversation_id = :c AND m.text = :t", c=conversation, t=said)
    logged = [line for line in world.product.log.read_text(errors="replace").splitlines()
              if "deliver" in line.lower() or "round failed" in line]
    return (f"\ncalls at {[round(c.at, 3) for c in calls]} (refused: {[c.refused for c in calls]})"
            f"\nkills (name, killed at, back at): {kills}\nmessages and deliveries: {rows}"
            "\ngateway log on deliveries:\n" + "\n".join(logged[-20:]))


def check_telegram_deliveries(world: World, chats: List[str]) -> None:
    """Every message to a Telegram chat went out, once (see surplus_explained)."""
    for chat in chats:
        conversation = world.conversation_of(chat)
        stored = world.query("SELECT text FROM messages WHERE conversation_id = :c "
                             "AND direction = 'out'", c=conversation)
        for said in {row[0] for row in stored}:
            calls = [c for c in world.telegram.calls("sendMessage")
                     if str(c.params.get("chat_id")) == chat and c.params.get("text") == said]
            count = sum(1 for row in stored if row[0] == said)
            marks = marked_sent(world, conversation, said, "m.direction = 'out'")
            assert surplus_explained(calls, marks, count, world.kills), \
                (f"chat {chat}: {said!r} stored {count}x, sent {len(calls)}x, marked sent {marks}"
                 + delivery_story(world, conversation, said, calls))


def check_agent_replies(world: World, replies: List[AgentReply]) -> None:
    """Each reply stored once, in the customer's transcript once, and on Telegram once."""
    assert replies, "the agent sent nothing"
    transcript = [m["text"] for m in world.handoff_web.transcript()["messages"]]
    for reply in replies:
        conversation = world.conversation_of(reply.where)
        stored = world.query("SELECT count(*) FROM messages WHERE conversation_id = :c "
                             "AND author = 'agent' AND text = :t", c=conversation, t=reply.text)
        assert stored[0][0] == 1, (reply, stored)
        if reply.where == world.handoff_web.id:
            assert transcript.count(reply.text) == 1, reply
        else:
            calls = [c for c in world.telegram.calls("sendMessage")
                     if str(c.params.get("chat_id")) == reply.where and c.params.get("text") == reply.text]
            marks = marked_sent(world, conversation, reply.text, "m.author = 'agent'")
            assert surplus_explained(calls, marks, 1, world.kills), \
                f"{reply} sent {len(calls)}x, marked sent {marks}" + delivery_story(
                    world, conversation, reply.text, calls)


# --- the test -----------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["action server", "gateway", "Rasa server"])
def test_a_killed_process_comes_back_and_nothing_is_lost(world: World, name: str) -> None:
    product = world.product
    web = [CustomerClient(product.gateway_url) for _ in range(2)]
    chats = [next(world.chats) for _ in range(2)]
    traffic = Traffic()
    for number, customer in enumerate(web):
        traffic.keep(f"web {number}", web_customer(traffic, customer, BOT_TEXTS[number:] + BOT_TEXTS[:number]), 0.5)
    for chat in chats:
        traffic.keep(f"telegram {chat}", telegram_customer(traffic, product, chat, BOT_TEXTS), 0.5)
    traffic.keep("web handoff", web_customer(traffic, world.handoff_web, HANDOFF_TEXTS), 1.0)
    traffic.keep("telegram handoff",
                 telegram_customer(traffic, product, world.handoff_chat, HANDOFF_TEXTS), 1.0)
    traffic.keep("agent", agent_replying(traffic, world.agent, world.handoffs, name), 1.0)
    started = time.monotonic()
    try:
        # the rush is on and requests are in flight: kill
        wait_until(lambda: traffic.errors or (traffic.accepted_since(started) >= 6
                                              and traffic.in_flight),
                   60, "no rush of messages in flight", interval=0.02)
        assert not traffic.errors, traffic.errors
        outage = kill_and_wait_until_back(product, name)
        world.kills.append(outage)
        # and it goes on for a while with the process back
        wait_until(lambda: traffic.errors or traffic.accepted_since(outage.back_at) >= 8,
                   60, "the gateway took too few messages after the restart", interval=0.05)
        assert not traffic.errors, traffic.errors
    except BaseException:
        traffic.abandon()
        raise
    traffic.stop()
    print(f"\nthe {name} was back after {outage.seconds:.1f}s "
          f"(pid {outage.old_pid} -> {outage.new_pid}); the others answered {outage.others_served}")

    # the others kept serving; the supervisor said what happened and is still there
    assert all(outage.others_served.values()), outage.others_served
    if name != "gateway":
        assert any(outage.killed_at <= s.accepted_at <= outage.back_at for s in traffic.sent), \
            "the gateway took no message while the process was down"
    wait_for_log(product, f"The {name} stopped (code -9); restarting it in 1 s (restart 1).")
    wait_for_log(product, f"The {name} is back (pid {outage.new_pid})")
    assert product.process.poll() is None
    assert children(product.process.pid).keys() == set(MODULES.values())

    world.sent.extend(traffic.sent)
    world.replies.extend(traffic.replies)
    world.wait_until_quiet()
    check_customer_messages(world, [c.id for c in web] + [str(c) for c in chats]
                            + [world.handoff_web.id, str(world.handoff_chat)])
    check_telegram_deliveries(world, [str(c) for c in chats] + [str(world.handoff_chat)])
    check_agent_replies(world, traffic.replies)

    # a new conversation is served by the bot again
    newcomer = CustomerClient(product.gateway_url)
    assert "Harbor Goods" in newcomer.say("hello")
