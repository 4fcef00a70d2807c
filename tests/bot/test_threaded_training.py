"""`rasa train` with the training graph's independent branches side by side
(bot.runtime.threaded_graph_runner, installed by bot.runtime.threaded_training), on real
Rasa graph schemas, nodes, runners and caches; every `rasa train` of the product (make, the
trainer's runs, the lean test builds) goes through it."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

import pytest
from rasa.engine.caching import LocalTrainingCache
from rasa.engine.exceptions import GraphComponentException
from rasa.engine.graph import ExecutionContext, GraphComponent, GraphSchema, SchemaNode
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.engine.training.components import PrecomputedValueProvider
from rasa.engine.training.graph_trainer import GraphTrainer
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.graph_components.providers.nlu_training_data_provider import (
    NLUTrainingDataProvider,
)
from rasa.shared.importers.importer import TrainingDataImporter
from rasa.shared.importers.rasa import RasaFileImporter

from bot.runtime import threaded_graph_runner, threaded_training, token_fingerprints
from bot.nlu.bert_onnx import THREADS_ENV
from bot.runtime.rasa_server import TF_THREADS
from bot.runtime.threaded_graph_runner import ThreadedGraphRunner

EVENTS: List[str] = []
MEETING = threading.Barrier(2)
NLU_DATA = """version: "3.1"
nlu:
- intent: greet
  examples: |
    - hello
    - hi there
"""


class Branch(GraphComponent):
    """A node of the graph: it records its start and end, and with `meet` waits up to that
    many seconds for another node to be running beside it."""

    def __init__(self, config: Dict[Text, Any]) -> None:
        self._config = config

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "Branch":
        return cls(config)

    def run(self, **inputs: Any) -> Dict[Text, Any]:
        name = self._config["name"]
        EVENTS.append(f"start {name}")
        if self._config.get("meet"):  # broken (an error) when nothing runs beside this node
            MEETING.wait(timeout=self._config["meet"])
        time.sleep(self._config.get("sleep", 0))
        if self._config.get("fail"):
            raise RuntimeError(f"{name} failed")
        EVENTS.append(f"end {name}")
        return {"name": name, "inputs": sorted(inputs)}


def node(name: str, needs: Dict[str, str], **config: Any) -> SchemaNode:
    return SchemaNode(needs=needs, uses=Branch, constructor_name="create", fn="run",
                      is_target=True, config={"name": name, **config})


def training_graph(meet: float = 30, **featurize: Any) -> GraphSchema:
    """The shape of the product's training graph: the NLU training data read by Rasa's own
    provider, a pipeline over it, and policies that need nothing of it (each branch waits up
    to `meet` seconds for the other)."""
    return GraphSchema({
        "nlu_training_data_provider": SchemaNode(
            needs={"importer": "__importer__"}, uses=NLUTrainingDataProvider,
            constructor_name="create", fn="provide", is_target=True,
            config={"language": "en", "persist": False}),
        "featurize": node("featurize", {"training_data": "nlu_training_data_provider"},
                          meet=meet, **featurize),
        "policies": node("policies", {}, meet=meet),
        "classifier": node("classifier", {"features": "featurize"}),
    })


@pytest.fixture
def importer(tmp_path: Path) -> TrainingDataImporter:
    (tmp_path / "nlu.yml").write_text(NLU_DATA)
    return RasaFileImporter(training_data_paths=[str(tmp_path / "nlu.yml")])


@pytest.fixture(autouse=True)
def fresh_meeting() -> None:
    EVENTS.clear()
    MEETING.reset()


def runner(runner_class: type, whole: GraphSchema, tmp_path: Path,
           importer: Optional[TrainingDataImporter] = None) -> DaskGraphRunner:
    """A runner of `whole` as Rasa's training run gets it with `importer`: the NLU data's
    provider replaced by the value the fingerprint run computed (PrecomputedValueProvider).
    Without `importer`, of `whole` itself."""
    schema = whole
    if importer is not None:
        schema = GraphSchema({**whole.nodes, "nlu_training_data_provider": SchemaNode(
            needs={}, uses=PrecomputedValueProvider, constructor_name="create",
            fn="get_value", is_target=True, config={"output": importer.get_nlu_data()})})
    storage = tmp_path / f"storage-{len(list(tmp_path.glob('storage-*')))}"
    storage.mkdir()
    return runner_class.create(graph_schema=schema, model_storage=LocalModelStorage(storage),
                               execution_context=ExecutionContext(graph_schema=whole),
                               hooks=[])


def test_the_nlu_pipeline_and_the_policies_train_side_by_side(
        tmp_path: Path, importer: TrainingDataImporter) -> None:
    outputs = runner(ThreadedGraphRunner, training_graph(), tmp_path, importer).run()
    assert outputs["classifier"] == {"name": "classifier", "inputs": ["features"]}
    assert outputs["policies"] == {"name": "policies", "inputs": []}
    assert [m.get("text") for m in outputs["nlu_training_data_provider"].training_examples] \
        == ["hello", "hi there"]
    assert EVENTS.index("end featurize") < EVENTS.index("start classifier")
    assert threaded_graph_runner.nlu_nodes(training_graph()) == {
        "nlu_training_data_provider", "featurize", "classifier"}


def test_the_synchronous_scheduler_runs_one_branch_at_a_time(
        tmp_path: Path, importer: TrainingDataImporter) -> None:
    """The meeting above cannot happen on Rasa's own runner: what the fix changes."""
    with pytest.raises(Exception) as raised:
        runner(DaskGraphRunner, training_graph(meet=2), tmp_path, importer).run()
    assert isinstance(raised.value.__cause__ or raised.value, threading.BrokenBarrierError)


def test_a_run_that_reads_the_training_data_itself_runs_as_rasas(
        tmp_path: Path, importer: TrainingDataImporter) -> None:
    """`rasa train --force` has no fingerprint run: its nodes read the importer, which is
    not meant for two threads."""
    with pytest.raises(Exception) as raised:
        runner(ThreadedGraphRunner, training_graph(meet=2), tmp_path).run(
            {"__importer__": importer})
    assert isinstance(raised.value.__cause__ or raised.value, threading.BrokenBarrierError)


def test_the_nlu_nodes_run_one_at_a_time_in_rasas_order(
        tmp_path: Path, importer: TrainingDataImporter) -> None:
    """They share one TrainingData and change it in place: never two at once."""
    schema = GraphSchema({
        **training_graph(meet=0).nodes,
        "entities": node("entities", {"training_data": "nlu_training_data_provider"},
                         sleep=0.2),
        "synonyms": node("synonyms", {"training_data": "nlu_training_data_provider"},
                         sleep=0.2),
        "tokens": node("tokens", {"training_data": "nlu_training_data_provider"}, sleep=0.2),
    })
    runner(DaskGraphRunner, schema, tmp_path, importer).run()
    rasas = [event for event in EVENTS if "policies" not in event]
    EVENTS.clear()
    runner(ThreadedGraphRunner, schema, tmp_path, importer).run()
    ours = [event for event in EVENTS if "policies" not in event]
    assert ours == rasas
    assert all(ours[i].startswith("start") and ours[i + 1] == "end" + ours[i][5:]
               for i in range(0, len(ours), 2))


@pytest.mark.parametrize("runner_class", [DaskGraphRunner, ThreadedGraphRunner])
def test_a_failing_node_fails_the_run_as_on_rasas_runner(
        runner_class: type, tmp_path: Path, importer: TrainingDataImporter) -> None:
    with pytest.raises(GraphComponentException, match="for node featurize"):
        runner(runner_class, training_graph(meet=0, fail=True), tmp_path, importer).run()
    assert "start classifier" not in EVENTS


def test_a_lane_waiting_on_a_failed_node_of_the_other_stops(
        tmp_path: Path, importer: TrainingDataImporter) -> None:
    schema = GraphSchema({
        **training_graph(meet=0).nodes,
        "domain": node("domain", {}, fail=True),
        "featurize": node("featurize", {"training_data": "nlu_training_data_provider",
                                        "domain": "domain"}),
    })
    with pytest.raises(GraphComponentException, match="for node domain"):
        runner(ThreadedGraphRunner, schema, tmp_path, importer).run()
    assert "start featurize" not in EVENTS


def test_the_training_cache_stores_one_output_at_a_time(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(LocalTrainingCache, "cache_output", LocalTrainingCache.cache_output)
    monkeypatch.setenv("RASA_CACHE_DIRECTORY", str(tmp_path / "cache"))
    threaded_graph_runner.install_cache_lock()
    threaded_graph_runner.install_cache_lock()  # once is enough; twice changes nothing
    cache = LocalTrainingCache()
    (tmp_path / "storage").mkdir()
    store = threading.Thread(target=cache.cache_output, args=(
        "key", "an output", "its fingerprint", LocalModelStorage(tmp_path / "storage")))
    with threaded_graph_runner._cache_lock:  # another lane storing
        store.start()
        store.join(timeout=0.5)
        assert store.is_alive()
    store.join(timeout=10)
    assert not store.is_alive()
    assert cache.get_cached_output_fingerprint("key") == "its fingerprint"


def test_the_fingerprint_run_stays_on_one_thread_with_the_cache_off(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With RASA_MAX_CACHE_SIZE=0 Rasa's cache is an in-memory database that only the
    thread which made it can read; the fingerprint run reads it for every node."""
    monkeypatch.setenv("RASA_MAX_CACHE_SIZE", "0")
    monkeypatch.setenv("RASA_CACHE_DIRECTORY", str(tmp_path / "cache"))

    schema = GraphSchema({"nlu": node("nlu", {}), "policies": node("policies", {})})
    (tmp_path / "trainer-storage").mkdir()
    trainer = GraphTrainer(LocalModelStorage(tmp_path / "trainer-storage"), LocalTrainingCache(),
                           ThreadedGraphRunner)
    fingerprints = trainer.fingerprint(schema, importer=None)  # type: ignore[arg-type]
    assert set(fingerprints) == {"nlu", "policies"}
    assert threaded_graph_runner.runs_as_rasa_does(
        runner(DaskGraphRunner, trainer._create_fingerprint_schema(schema), tmp_path))
    assert not threaded_graph_runner.runs_as_rasa_does(runner(DaskGraphRunner, schema, tmp_path))


def test_install_gives_rasa_train_the_threaded_runner(monkeypatch: pytest.MonkeyPatch) -> None:
    import rasa.model_training

    monkeypatch.setattr(rasa.model_training, "DaskGraphRunner", DaskGraphRunner)
    monkeypatch.setattr(Token, "fingerprint", Token.fingerprint)
    monkeypatch.setattr(LocalTrainingCache, "cache_output", LocalTrainingCache.cache_output)
    threaded_training.install()
    assert rasa.model_training.DaskGraphRunner is ThreadedGraphRunner


def test_each_lane_gets_one_tensorflow_and_blas_thread_unless_the_environment_says(
        monkeypatch: pytest.MonkeyPatch) -> None:
    for key in TF_THREADS:
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("OMP_NUM_THREADS", "2")
    threaded_training.one_thread_per_lane()
    assert os.environ["OMP_NUM_THREADS"] == "2"
    for key in ("TF_INTRA_OP_PARALLELISM_THREADS", "TF_INTER_OP_PARALLELISM_THREADS"):
        assert os.environ[key] == "1"
    assert os.environ["OMP_WAIT_POLICY"] == "PASSIVE"
    assert THREADS_ENV not in os.environ  # the sentence encoder's threads sleep when idle


def test_the_training_command_line() -> None:
    assert threaded_training.command("/venv/bin/python") == [
        "/venv/bin/python", "-m", "bot.runtime.threaded_training", "train"]


def test_token_fingerprints_are_rasas_own_remembered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Token, "fingerprint", Token.fingerprint)  # undone after the test
    monkeypatch.setattr(LocalTrainingCache, "cache_output", LocalTrainingCache.cache_output)
    plain = Token("refund", 4, 10, lemma="refund")
    with_data = Token("refund", 4, 10, data={"pattern": {"order": 1.0}}, lemma="refund")
    rasas = {name: token.fingerprint() for name, token in
             (("plain", plain), ("with data", with_data))}
    threaded_training.install()
    assert Token.fingerprint is token_fingerprints.remembered_fingerprint
    assert plain.fingerprint() == rasas["plain"]
    assert Token("refund", 4, 10, lemma="refund").fingerprint() == rasas["plain"]
    assert with_data.fingerprint() == rasas["with data"] != rasas["plain"]
    assert Token("refund", 5, 11, lemma="refund").fingerprint() != rasas["plain"]
    assert Token("refund", 4.0, 10, lemma="refund").fingerprint() != rasas["plain"]  # "4.0"
    plain.set("pattern", {"order": 1.0})  # a token given data later is hashed with it
    assert plain.fingerprint() == rasas["with data"]
