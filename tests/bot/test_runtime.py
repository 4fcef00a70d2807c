"""`python -m bot.runtime` (what `make run` starts) end to end: real processes, real HTTP.

Starts the supervisor on free ports with its own databases, talks to the bot through the
gateway like a web-chat customer would, then stops it with SIGINT as Ctrl-C does.
"""

from __future__ import annotations

import signal
import socket
from typing import Dict, Iterator

import httpx
import pytest

from tests.product import CustomerClient, RunningProcess, start_product


class RunningBot:
    """The running product, spoken to as web-chat customers of the gateway."""

    def __init__(self, running: RunningProcess) -> None:
        self.process = running.process
        self.running = running
        self.rasa_port = int(running.env["RASA_PORT"])
        self.action_port = int(running.env["ACTION_PORT"])
        self.gateway_port = int(running.env["GATEWAY_PORT"])
        self._customers: Dict[str, CustomerClient] = {}

    def customer(self, name: str) -> CustomerClient:
        if name not in self._customers:
            self._customers[name] = CustomerClient(self.running.gateway_url)
        return self._customers[name]

    def say(self, sender: str, text: str) -> httpx.Response:
        return self.customer(sender).send(text=text)

    def texts(self, sender: str, text: str) -> str:
        return self.customer(sender).say(text)


@pytest.fixture(scope="module")
def running_bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningBot]:
    running = start_product(tmp_path_factory.mktemp("runtime"))
    yield RunningBot(running)
    if running.process.poll() is None:
        running.process.kill()
        running.process.wait()


def test_a_customer_tracks_an_order(running_bot: RunningBot) -> None:
    assert "order number" in running_bot.texts("alice", "where is my order?")
    assert "email address" in running_bot.texts("alice", "HG-100002")
    answer = running_bot.texts("alice", "alice.morgan@example.com")
    assert "HG-100002" in answer and "tracking number TRK" in answer


def test_a_stranger_learns_nothing_about_an_order(running_bot: RunningBot) -> None:
    running_bot.texts("mallory", "where is order HG-100002")
    for guess in ("M3 4LQ", "NW1 6XE"):
        assert "can't match" in running_bot.texts("mallory", guess)
    final = running_bot.texts("mallory", "EH1 2NG")
    assert "couldn't confirm" in final and "TRK" not in final


@pytest.mark.parametrize(
    "text",
    ["😀😀🎉", "<script>alert(1)</script>", "a" * 3999, "where is order HG-999999",
     "x' OR 1=1; DROP TABLE orders; --"],
)
def test_bad_input_gets_a_clear_answer(running_bot: RunningBot, text: str) -> None:
    sender = f"bad-{abs(hash(text))}"
    response = running_bot.say(sender, text)
    assert response.status_code == 200
    replies = response.json()["replies"]
    assert replies and all(reply["text"] for reply in replies)
    # the bot is still fine afterwards
    assert "Harbor Goods" in running_bot.texts(sender, "hello")


@pytest.mark.parametrize("text", ["", "   ", "a" * 10000])
def test_input_the_gateway_cannot_take_is_refused_clearly(running_bot: RunningBot,
                                                          text: str) -> None:
    response = running_bot.say(f"refused-{len(text)}", text)
    assert response.status_code == 422
    assert response.json()["error"]["message"]


def test_an_unknown_order_number_reads_like_someone_elses(running_bot: RunningBot) -> None:
    """Whether an order exists is never revealed: the same questions and answers."""
    answers = []
    for sender, number in (("typo", "HG-999999"), ("nosy", "HG-100003")):
        asked = running_bot.texts(sender, f"where is order {number}")
        checked = running_bot.texts(sender, "NW1 6XE")
        answers.append((asked.replace(number, "#"), checked.replace(number, "#")))
    assert answers[0] == answers[1]
    assert "can't match" in answers[0][1]


def test_ctrl_c_stops_every_process(running_bot: RunningBot) -> None:
    running_bot.process.send_signal(signal.SIGINT)
    assert running_bot.process.wait(timeout=60) == 0
    for port in (running_bot.rasa_port, running_bot.action_port, running_bot.gateway_port):
        with socket.socket() as probe:
            assert probe.connect_ex(("127.0.0.1", port)) != 0, f"port {port} still answers"
