"""Model events on the event bus (trainer.model_events): every change the model store
records is announced, in order, from whichever thread wrote it; a trainer's WebSocket hears
them from a running gateway, and staff who are not trainers are refused."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

import httpx
import pytest
import websockets
from sqlalchemy.orm import sessionmaker

from ground.database import session_factory
from ground.events import InProcessEventBus
from tests.databases import Clock
from tests.product import RunningProcess, StaffClient, product_environment, start_gateway
from trainer.evaluation import IntentScore, Scores, test_set_fingerprint
from trainer.model_events import MODELS_TOPIC, announcer
from trainer.models import ModelStatus
from trainer.registry import ModelStore
from trainer.training_run import EVALUATION_FAILED

HEARD_WITHIN = 20.0  # seconds


def scores() -> Scores:
    return Scores(macro_f1=0.9, accuracy=0.9, intents={"greet": IntentScore(0.9, 1.0, 0.9, 8)},
                  stories_passed=[], stories_failed=[], test_set=test_set_fingerprint(),
                  heldout_examples=8)


async def drained(queue: asyncio.Queue, count: int) -> List[Tuple[int, str]]:
    events = [await asyncio.wait_for(queue.get(), HEARD_WITHIN) for _ in range(count)]
    assert all(event["type"] == "model" for event in events)
    return [(event["version_id"], event["change"]) for event in events]


async def test_each_change_of_the_store_is_announced_in_order_from_worker_threads(
        sessions: sessionmaker, tmp_path: Path, clock: Clock) -> None:
    bus = InProcessEventBus()
    queue = bus.subscribe(MODELS_TOPIC)
    store = ModelStore(sessions, tmp_path / "versions", clock,
                       on_change=announcer(bus, asyncio.get_running_loop()))

    def a_run() -> int:  # as the training runner writes it: from worker threads
        version_id = store.start("api", None, None)
        store.report(version_id, stage="training", progress=0.5)
        store.model_path(version_id).write_bytes(b"model")
        store.finish(version_id, scores())
        store.make_active(version_id, None, None)
        return version_id

    first = await asyncio.to_thread(a_run)
    assert await drained(queue, 4) == [(first, "started"), (first, "progress"),
                                       (first, "trained"), (first, "activated")]
    second = await asyncio.to_thread(store.start, "api", None, None)
    await asyncio.to_thread(store.fail, second, "rasa train said no")
    assert await drained(queue, 2) == [(second, "started"), (second, "failed")]
    assert queue.empty()


def test_a_store_without_a_listener_records_the_same(sessions: sessionmaker, tmp_path: Path,
                                                      clock: Clock) -> None:
    store = ModelStore(sessions, tmp_path / "versions", clock)
    version_id = store.start("cli", None, None)
    store.fail(version_id, "stopped")
    assert store.view(version_id).status == ModelStatus.FAILED


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningProcess]:
    folder = tmp_path_factory.mktemp("model-events")
    process = start_gateway(folder, product_environment(folder))  # Rasa is nowhere
    try:
        yield process
    finally:
        process.stop()


def ws_url(gateway: RunningProcess, token: str) -> str:
    return gateway.gateway_url.replace("http", "ws") + f"/api/v1/trainer/models/ws?token={token}"


async def next_message(socket: Any) -> Dict[str, Any]:
    while True:
        event = json.loads(await asyncio.wait_for(socket.recv(), HEARD_WITHIN))
        if event["type"] != "ping":
            return event


async def test_a_trainers_socket_hears_an_evaluation_start_and_fail(gateway: RunningProcess,
                                                                    tmp_path: Path) -> None:
    # a version whose model file is gone: its evaluation fails at once (no model to load)
    store = ModelStore(session_factory(gateway.env["DATABASE_URL"]),
                       Path(gateway.env["MODEL_STORE_DIR"]))
    build = tmp_path / "build.tar.gz"
    build.write_bytes(b"a build that is not a model")
    version_id = await asyncio.to_thread(store.register_build, build)
    store.model_path(version_id).unlink()
    trainer = StaffClient.admin(gateway.gateway_url).add("events-trainer", "trainer")

    async with websockets.connect(ws_url(gateway, trainer.token)) as socket:
        assert await next_message(socket) == {"type": "ready"}
        started = await asyncio.to_thread(
            trainer.http.post, f"/api/v1/trainer/models/{version_id}/evaluation")
        assert started.status_code == 202, started.text
        heard = [await next_message(socket), await next_message(socket)]
    assert heard == [{"type": "model", "version_id": version_id, "change": "progress"}] * 2
    version = trainer.http.get(f"/api/v1/trainer/models/{version_id}").json()["version"]
    assert version["stage"] == EVALUATION_FAILED and "no model file" in version["error"]


async def test_staff_who_are_not_trainers_and_strangers_are_refused(gateway: RunningProcess) -> None:
    agent = StaffClient.admin(gateway.gateway_url).add("events-agent", "agent")
    for token, status in ((agent.token, 403), ("not-a-session", 401)):
        async with websockets.connect(ws_url(gateway, token)) as socket:
            refusal = await next_message(socket)
            assert refusal["type"] == "error" and refusal["status"] == status
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await asyncio.wait_for(socket.recv(), HEARD_WITHIN)
        assert closed.value.rcvd.code == 4000 + status
    assert httpx.get(gateway.gateway_url + "/api/v1/trainer/models/ws").status_code == 426
