"""Retraining for real, in the running product: a customer's message the model gets wrong
is corrected in the review inbox, the correction passes `rasa data validate`, a training run
started through the API learns it, the gate lets the new model through, and activation
hot-swaps it into the running Rasa server while customers keep chatting. A worse model is
refused by the gate (an admin may override with a reason), and rollback restores the
version before. Slow: two real training runs and their evaluations.

The tests are about this mechanism, not about the production model's quality: their
product trains with the lean config of tests/trainer/lean_training.py and starts with the
lean build of the checkout's training data active, so both sides of the gate's comparison
are built the same way (and quickly)."""

from __future__ import annotations

import subprocess
import sys
import threading
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional

import httpx
import pytest
import yaml

from tests.product import CustomerClient, RunningProcess, StaffClient
from tests.trainer.lean_training import start_lean_product
from tests.waiting import wait_until
from trainer.training_run import EVALUATED, EVALUATION_FAILED

RUN_TIMEOUT_SECONDS = 15 * 60
# a compliment the model shipped with reads as "thanks" (checked below, not assumed)
COMPLIMENT = "your chap on the phone was brilliant, pass my thanks on"


@pytest.fixture(scope="module")
def product(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningProcess]:
    """A product of this module's own (the session's product serves the model `make`
    built, which other tests rely on), with the lean build active and lean training data."""
    running = start_lean_product(tmp_path_factory.mktemp("model-lifecycle"))
    yield running
    running.stop()


def rasa(product: RunningProcess, method: str, path: str, **kwargs: Any) -> Dict[str, Any]:
    response = httpx.request(method, product.rasa_url + path, timeout=60,
                             params={"token": product.env["RASA_TOKEN"]}, **kwargs)
    response.raise_for_status()
    return response.json()


def parsed_intent(product: RunningProcess, text: str) -> str:
    return rasa(product, "POST", "/model/parse", json={"text": text})["intent"]["name"]


def train(trainer: StaffClient, note: str) -> Dict[str, Any]:
    """Starts a run and follows it to its end; the stages it went through are returned too."""
    started = trainer.http.post("/api/v1/trainer/models", json={"note": note})
    assert started.status_code == 202, started.text
    version = started.json()
    assert version["status"] == "training" and version["note"] == note
    stages: List[str] = []
    seen, url = [version], f"/api/v1/trainer/models/{version['id']}"

    def finished() -> Optional[Dict[str, Any]]:
        seen.append(trainer.http.get(url).json()["version"])
        if not stages or stages[-1] != seen[-1]["stage"]:
            stages.append(seen[-1]["stage"])
        return None if seen[-1]["status"] in ("training", "evaluating") else seen[-1]

    version = wait_until(finished, RUN_TIMEOUT_SECONDS,
                         lambda: f"still {seen[-1]['status']}: {seen[-1]['stage']}", interval=2)
    assert version["status"] == "ready", version["error"]
    return {**version, "stages": stages}


def evaluate(trainer: StaffClient, version_id: int) -> Dict[str, Any]:
    """(Re-)evaluates a version on the current test set, followed to its end."""
    asked = trainer.http.post(f"/api/v1/trainer/models/{version_id}/evaluation")
    assert asked.status_code == 202, asked.text
    busy = trainer.http.post(f"/api/v1/trainer/models/{version_id}/evaluation")
    assert busy.status_code == 409  # one evaluation or training run at a time

    def finished() -> Optional[Dict[str, Any]]:
        # its end, not the stage before it began (the run reports its start a moment later)
        version = trainer.http.get(f"/api/v1/trainer/models/{version_id}").json()["version"]
        return version if version["stage"] in (EVALUATED, EVALUATION_FAILED) else None

    version = wait_until(finished, RUN_TIMEOUT_SECONDS, "still evaluating", interval=2)
    assert version["stage"] == EVALUATED, version["error"]
    return version


@dataclass
class Customers:
    """What the customers of `chatting` met: problems, and how many were answered."""

    problems: List[str] = field(default_factory=list)
    answered: int = 0


@contextmanager
def chatting(product: RunningProcess) -> Iterator[Customers]:
    """Customers who keep asking (each in a new conversation, since asking the same thing
    again is a reason to hand over) while the block runs."""
    customers = Customers()
    stop = threading.Event()

    def talk() -> None:
        while not stop.is_set():
            response = CustomerClient(product.gateway_url).send(text="what are your opening hours?")
            replies = response.json().get("replies", []) if response.status_code == 200 else []
            if response.status_code != 200 or not any("Our support team is available" in (r["text"] or "")
                                                       for r in replies):
                customers.problems.append(f"{response.status_code}: {[r['text'] for r in replies]}")
            else:
                customers.answered += 1
            stop.wait(0.2)

    thread = threading.Thread(target=talk)
    thread.start()
    try:
        yield customers
    finally:
        stop.set()
        thread.join(timeout=90)


def test_a_reviewed_correction_is_learned_and_hot_swapped_in(product: RunningProcess) -> None:
    admin = StaffClient.admin(product.gateway_url)
    trainer = admin.add(f"tina-{uuid.uuid4().hex[:6]}", "trainer")
    before = parsed_intent(product, COMPLIMENT)
    assert before != "give_feedback"  # the model shipped with gets it wrong

    CustomerClient(product.gateway_url).say(COMPLIMENT)
    items = trainer.http.get("/api/v1/trainer/inbox", params={"limit": 200}).json()["items"]
    item = next(i for i in items if i["text"] == COMPLIMENT)
    decided = trainer.http.post(f"/api/v1/trainer/inbox/{item['id']}/decision",
                                json={"verdict": "correct", "intent": "give_feedback"})
    assert decided.status_code == 201, decided.text
    data = Path(product.env["TRAINING_DATA_DIR"])
    validated = subprocess.run(
        [str(Path(sys.executable).parent / "rasa"), "data", "validate", "--config",
         str(data / "config.yml"), "--domain", str(data / "domain"), "--data", str(data / "data"),
         "--fail-on-warnings"], capture_output=True, text=True, timeout=300)
    assert validated.returncode == 0, validated.stdout[-3000:] + validated.stderr[-3000:]

    previous = trainer.http.get("/api/v1/trainer/models").json()["active"]
    evaluated = evaluate(trainer, previous)
    assert evaluated["scores_current"] and evaluated["scores"]["macro_f1"] > 0.5
    version = train(trainer, "learn the compliment on the phone")
    assert any(stage.startswith("training") for stage in version["stages"]), version["stages"]
    assert any(stage.startswith("evaluating") for stage in version["stages"]), version["stages"]
    # the active model's scores are current already: it is not evaluated again
    assert not any("active model" in stage for stage in version["stages"]), version["stages"]
    compared = trainer.http.get(f"/api/v1/trainer/models/{version['id']}").json()
    assert compared["active"]["id"] == previous and compared["active"]["scores"] is not None
    assert compared["version"]["scores"]["intents"]["give_feedback"]["support"] >= 5
    assert compared["gate"] == {"passed": True, "reasons": []}
    image = trainer.http.get(f"/api/v1/trainer/models/{version['id']}/confusion-matrix.png")
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")

    with chatting(product) as customers:
        activated = trainer.http.post(f"/api/v1/trainer/models/{version['id']}/activation",
                                      json={})
        # customers keep talking to the new model as well: one question may have been on
        # its way during the activation, three more begin after it
        before = customers.answered
        wait_until(lambda: customers.problems or customers.answered >= before + 4, 120,
                   lambda: f"{customers.answered - before} answered since the activation")
    assert activated.status_code == 200, activated.text
    assert activated.json()["served"] is True
    assert customers.problems == []
    assert product.served_model() == f"v{version['id']}.tar.gz"
    assert parsed_intent(product, COMPLIMENT) == "give_feedback"
    listed = trainer.http.get("/api/v1/trainer/models").json()
    assert listed["active"] == version["id"] and listed["rollback_to"] == previous


def without_order_status(nlu_file: Path) -> None:
    """The training data loses every example of one frequent intent."""
    content = yaml.safe_load(nlu_file.read_text())
    content["nlu"] = [block for block in content["nlu"] if block.get("intent") != "order_status"]
    nlu_file.write_text(yaml.safe_dump(content, sort_keys=False, allow_unicode=True))


def test_the_gate_refuses_a_worse_model_and_rollback_restores(product: RunningProcess) -> None:
    admin = StaffClient.admin(product.gateway_url)
    trainer = admin.add(f"theo-{uuid.uuid4().hex[:6]}", "trainer")
    previous = trainer.http.get("/api/v1/trainer/models").json()["active"]
    orders = Path(product.env["TRAINING_DATA_DIR"]) / "data" / "nlu" / "orders.yml"
    original = orders.read_text()
    try:
        without_order_status(orders)
        worse = train(trainer, "an accident: the order examples were deleted")
    finally:
        orders.write_text(original)

    gate = trainer.http.get(f"/api/v1/trainer/models/{worse['id']}").json()["gate"]
    assert gate["passed"] is False
    # the story tests name their intents, so only the NLU scores can show this accident
    assert len(gate["reasons"]) == 1 and "intent macro-F1" in gate["reasons"][0], gate

    activation = f"/api/v1/trainer/models/{worse['id']}/activation"
    refused = trainer.http.post(activation, json={})
    assert refused.status_code == 409 and "macro-F1" in refused.json()["error"]["message"]
    reason = "testing the override on purpose"
    assert trainer.http.post(activation, json={"override_reason": reason}).status_code == 403
    assert admin.http.post(activation, json={"override_reason": "x"}).status_code == 422
    assert product.served_model() == f"v{previous}.tar.gz"  # nothing changed so far

    overridden = admin.http.post(activation, json={"override_reason": reason})
    assert overridden.status_code == 200, overridden.text
    assert product.served_model() == f"v{worse['id']}.tar.gz"
    assert parsed_intent(product, "where is my parcel HG-100001?") != "order_status"
    history = {v["id"]: v for v in trainer.http.get("/api/v1/trainer/models").json()["versions"]}
    assert history[worse["id"]]["override_reason"] == reason
    assert history[worse["id"]]["activated_by"] == "admin"

    rolled_back = trainer.http.post("/api/v1/trainer/models/rollback")
    assert rolled_back.status_code == 200, rolled_back.text
    assert rolled_back.json()["version"]["id"] == previous
    assert product.served_model() == f"v{previous}.tar.gz"
    assert parsed_intent(product, "where is my parcel HG-100001?") == "order_status"
    listed = trainer.http.get("/api/v1/trainer/models").json()
    assert listed["active"] == previous
    assert {v["id"]: v["status"] for v in listed["versions"]}[worse["id"]] == "retired"
