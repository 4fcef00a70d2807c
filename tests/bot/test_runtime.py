"""`python -m bot.runtime` (what `make run` starts) end to end: real processes, real HTTP.

Starts the supervisor on free ports with its own databases, talks to the bot through Rasa's
REST channel like a customer would, then stops it with SIGINT as Ctrl-C does.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest

from tests.conftest import MODEL_PATH, PROJECT_ROOT

READY_TIMEOUT = 240


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RunningBot:
    def __init__(self, process: subprocess.Popen, rasa_port: int, action_port: int, log: Path) -> None:
        self.process = process
        self.rasa_port = rasa_port
        self.action_port = action_port
        self.log = log

    def say(self, sender: str, text: str) -> List[Dict[str, Any]]:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.rasa_port}/webhooks/rest/webhook",
            data=json.dumps({"sender": sender, "message": text}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())

    def texts(self, sender: str, text: str) -> str:
        return " ".join(m.get("text") or "" for m in self.say(sender, text))


@pytest.fixture(scope="module")
def running_bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningBot]:
    if not MODEL_PATH.exists():
        pytest.fail(f"no trained model at {MODEL_PATH}; run `make test`, which trains it first")
    folder = tmp_path_factory.mktemp("runtime")
    rasa_port, action_port = _free_port(), _free_port()
    env = {
        **os.environ,
        "RASA_TOKEN": "test-token-not-secret",
        "RASA_PORT": str(rasa_port),
        "ACTION_PORT": str(action_port),
        "DATABASE_URL": f"sqlite:///{folder / 'company.db'}",
        "TRACKER_DB_PATH": str(folder / "tracker.db"),
        "RASA_TELEMETRY_ENABLED": "false",
    }
    log = folder / "runtime.log"
    with log.open("w") as output:
        process = subprocess.Popen([sys.executable, "-m", "bot.runtime"], cwd=PROJECT_ROOT, env=env,
                                   stdout=output, stderr=subprocess.STDOUT)
    started = time.monotonic()
    while "CareDesk is running." not in log.read_text():
        if process.poll() is not None or time.monotonic() - started > READY_TIMEOUT:
            process.kill()
            pytest.fail(f"CareDesk did not start:\n{log.read_text()[-3000:]}")
        time.sleep(1)
    bot = RunningBot(process, rasa_port, action_port, log)
    yield bot
    if process.poll() is None:
        process.kill()
        process.wait()


def test_a_customer_tracks_an_order(running_bot: RunningBot) -> None:
    assert "order number" in running_bot.texts("alice", "where is my order?")
    assert "email address" in running_bot.texts("alice", "HG-100002")
    answer = running_bot.texts("alice", "alice.morgan@example.com")
    assert "HG-100002" in answer and "tracking number TRK" in answer


def test_a_stranger_learns_nothing_about_an_order(running_bot: RunningBot) -> None:
    running_bot.texts("mallory", "where is order HG-100002")
    for guess in ("M3 4LQ", "NW1 6XE"):
        assert "doesn't match" in running_bot.texts("mallory", guess)
    final = running_bot.texts("mallory", "EH1 2NG")
    assert "couldn't confirm" in final and "TRK" not in final


@pytest.mark.parametrize(
    "text",
    ["", "😀😀🎉", "<script>alert(1)</script>", "a" * 10000, "where is order HG-999999",
     "x' OR 1=1; DROP TABLE orders; --"],
)
def test_bad_input_gets_a_clear_answer(running_bot: RunningBot, text: str) -> None:
    sender = f"bad-{abs(hash(text))}"
    messages = running_bot.say(sender, text)
    assert messages and all(m.get("text") for m in messages)
    # the bot is still fine afterwards
    assert "Harbor Goods" in running_bot.texts(sender, "hello")


def test_unknown_order_number_is_explained(running_bot: RunningBot) -> None:
    answer = running_bot.texts("typo", "where is order HG-999999")
    assert "can't find an order HG-999999" in answer


def test_ctrl_c_stops_every_process(running_bot: RunningBot) -> None:
    running_bot.process.send_signal(signal.SIGINT)
    assert running_bot.process.wait(timeout=60) == 0
    for port in (running_bot.rasa_port, running_bot.action_port):
        with socket.socket() as probe:
            assert probe.connect_ex(("127.0.0.1", port)) != 0, f"port {port} still answers"
