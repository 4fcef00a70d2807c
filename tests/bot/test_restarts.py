"""The supervisor's restarts without the product: the back-off on a hand-moved clock, and
`tend` bringing back a real child process that was killed, logging each step."""

from __future__ import annotations

import signal
import sys
from pathlib import Path
from typing import Iterator, List

import pytest

from bot.runtime.restarts import RestartPolicy
from bot.runtime.supervisor import (
    GATEWAY_COMMAND,
    Service,
    active_model,
    forget_gateway_runs,
    rasa_command,
    tend,
    wait_until_ready,
)
from bot.schema import upgrade
from ground.settings import Settings
from ground.database import session_factory
from trainer.registry import ModelStore

SLEEPER = [sys.executable, "-c", "import time; time.sleep(120)"]


class HandClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> HandClock:
    return HandClock()


def test_the_back_off_doubles_up_to_the_longest_wait(clock: HandClock) -> None:
    policy = RestartPolicy(clock=clock)
    policy.ready()
    waits = []
    for _ in range(8):
        waits.append(policy.stopped())
        clock.now += 5  # restarted, and crashed again before it was ready
    assert waits == [1, 2, 4, 8, 16, 30, 30, 30]
    assert policy.restarts == 8


def test_a_child_that_served_a_while_starts_from_the_first_wait_again(clock: HandClock) -> None:
    policy = RestartPolicy(clock=clock)
    policy.ready()
    assert [policy.stopped(), policy.stopped(), policy.stopped()] == [1, 2, 4]
    policy.ready()
    clock.now += 59  # not long enough: still the same incident
    assert policy.stopped() == 8
    policy.ready()
    clock.now += 60
    assert policy.stopped() == 1
    assert policy.restarts == 5


class Sleeper(Service):
    """A child that is ready as long as it runs (no port to ask)."""

    ready_flag: bool = True

    def is_ready(self) -> bool:
        return self.exited() is None and self.ready_flag


@pytest.fixture
def sleeper(clock: HandClock) -> Iterator[Sleeper]:
    service = Sleeper(name="sleeper", command=SLEEPER, ready_url="", env={},
                      policy=RestartPolicy(clock=clock))
    service.start()
    yield service
    if service.process is not None and service.process.poll() is None:
        service.process.kill()
        service.process.wait()


def kill(service: Service) -> int:
    assert service.process is not None
    pid = service.process.pid
    service.process.send_signal(signal.SIGKILL)
    service.process.wait(timeout=30)
    return pid


def test_a_killed_child_is_restarted_after_its_wait_and_announced(
        sleeper: Sleeper, clock: HandClock) -> None:
    log: List[str] = []
    sleeper.policy.ready()
    tend(sleeper, log.append)
    assert log == []  # running: nothing to do
    old = kill(sleeper)

    tend(sleeper, log.append)
    assert log == ["The sleeper stopped (code -9); restarting it in 1 s (restart 1)."]
    clock.now += 0.5
    tend(sleeper, log.append)
    assert len(log) == 1 and sleeper.exited() == -9  # still waiting
    clock.now += 0.5
    tend(sleeper, log.append)
    assert sleeper.pid != old and sleeper.exited() is None
    assert log[-1] == f"Restarting the sleeper (pid {sleeper.pid})."
    clock.now += 3
    tend(sleeper, log.append)
    assert log[-1] == f"The sleeper is back (pid {sleeper.pid}), 4 s after it stopped."

    # killed again at once: the wait doubles; much later it starts from 1 s again
    kill(sleeper)
    tend(sleeper, log.append)
    assert log[-1] == "The sleeper stopped (code -9); restarting it in 2 s (restart 2)."
    clock.now += 2
    tend(sleeper, log.append)
    clock.now += 120
    tend(sleeper, log.append)
    assert log[-1].startswith("The sleeper is back")
    clock.now += 300
    kill(sleeper)
    tend(sleeper, log.append)
    assert log[-1] == "The sleeper stopped (code -9); restarting it in 1 s (restart 3)."


def test_a_restarted_child_that_never_answers_is_stopped_and_started_again(
        sleeper: Sleeper, clock: HandClock) -> None:
    log: List[str] = []
    sleeper.policy.ready()
    kill(sleeper)
    sleeper.ready_flag = False
    tend(sleeper, log.append)
    clock.now += 1
    tend(sleeper, log.append)
    hung = sleeper.pid
    clock.now += 301
    tend(sleeper, log.append, startup_timeout=300)
    assert log[-1] == "The sleeper is not ready 300 s after its restart; stopping it to start it again."
    assert sleeper.process is not None and sleeper.process.wait(timeout=30) == -9
    tend(sleeper, log.append)
    assert log[-1] == "The sleeper stopped (code -9); restarting it in 2 s (restart 2)."
    clock.now += 2
    tend(sleeper, log.append)
    assert sleeper.pid != hung and sleeper.exited() is None


def test_a_restart_builds_the_command_again(sleeper: Sleeper, clock: HandClock) -> None:
    commands = iter([[*SLEEPER, "second"]])
    sleeper.prepare = lambda: next(commands)
    kill(sleeper)
    tend(sleeper, lambda line: None)
    clock.now += 1
    tend(sleeper, lambda line: None)
    assert sleeper.command[-1] == "second"
    assert sleeper.process is not None and sleeper.process.args[-1] == "second"


def test_a_child_that_fails_at_start_up_stops_the_start(clock: HandClock) -> None:
    broken = Sleeper(name="broken", command=[sys.executable, "-c", "raise SystemExit(3)"],
                     ready_url="", env={}, policy=RestartPolicy(clock=clock))
    broken.ready_flag = False
    broken.start()
    with pytest.raises(RuntimeError, match=r"the broken exited during start-up \(code 3\)"):
        wait_until_ready([broken], timeout=60)


def test_the_rasa_server_restarts_with_the_model_active_now(tmp_path: Path) -> None:
    settings = Settings(rasa_token="t", rasa_port=5005, action_port=5055,
                        database_url=f"sqlite:///{tmp_path / 'caredesk.db'}",
                        tracker_db_path=tmp_path / "tracker.db",
                        model_store_dir=tmp_path / "versions")
    upgrade(settings.database_url)
    build = tmp_path / "caredesk.tar.gz"
    build.write_bytes(b"the build")
    store = ModelStore(session_factory(settings.database_url), settings.model_store_dir)
    served, _ = store.bootstrap(build)
    assert active_model(settings, build) == served

    newer = store.start("cli", None, None)
    store.model_path(newer).write_bytes(b"a trained model")
    store.make_active(newer, None, None)
    assert active_model(settings, build) == store.model_path(newer)
    command = rasa_command(settings, active_model(settings, build))
    assert command[command.index("--model") + 1] == str(store.model_path(newer))

    store.model_path(newer).unlink()  # the file is gone: the build rather than nothing
    assert active_model(settings, build) == build


def test_the_rasa_server_restarts_with_the_build_when_the_registry_is_unreadable(
        tmp_path: Path) -> None:
    settings = Settings(rasa_token="t", rasa_port=5005, action_port=5055,
                        database_url=f"sqlite:///{tmp_path / 'no-such-folder' / 'x' / 'db'}",
                        tracker_db_path=tmp_path / "tracker.db",
                        model_store_dir=tmp_path / "versions")
    (tmp_path / "no-such-folder").write_text("a file where a folder should be")
    build = tmp_path / "caredesk.tar.gz"
    assert active_model(settings, build) == build


def test_a_restarted_gateway_may_train_again(tmp_path: Path) -> None:
    """A training run lives in the gateway process: killed with it, it is marked failed
    before the gateway starts again, so that the workbench does not wait for it forever."""
    settings = Settings(rasa_token="t", rasa_port=5005, action_port=5055,
                        database_url=f"sqlite:///{tmp_path / 'caredesk.db'}",
                        tracker_db_path=tmp_path / "tracker.db",
                        model_store_dir=tmp_path / "versions")
    upgrade(settings.database_url)
    store = ModelStore(session_factory(settings.database_url), settings.model_store_dir)
    running = store.start("workbench", None, None)
    assert forget_gateway_runs(settings) == list(GATEWAY_COMMAND)
    assert store.view(running).status == "failed"
    assert store.view(running).error == "interrupted: the gateway stopped during the run"
    store.start("workbench", None, None)  # no longer refused
