"""Rasa's graph runner for training runs, with the NLU pipeline and the dialogue policies
trained side by side (bot.runtime.threaded_training installs it for `rasa train`).

`rasa train` runs its training graph through dask's synchronous scheduler, one node at a
time. The graph has two branches that need nothing of each other: the NLU pipeline (from
the NLU training data: featurizing, the classifier's fit) and the rest (the domain, the
stories, the policies, TEDPolicy above all). Each leaves a core idle for much of its run
(L-BFGS-B's bookkeeping, TensorFlow tracing its graph), so the whole run used about 1.2 of
the machine's two cores.

`ThreadedGraphRunner` runs the two branches as two lanes on two threads. Each lane runs its
nodes one at a time in the order dask's synchronous scheduler gives them, and a node waits
for the nodes it needs in the other lane. Only the lanes run side by side, not the nodes
within one: the NLU nodes hand one TrainingData object down the pipeline and change it in
place, so two of them at once could read it half-changed (and Rasa's training cache would
see fingerprints that depend on timing). The model is the one `rasa train` builds.

The fingerprint run before it (which decides what Rasa's cache can give) runs as Rasa runs
it: with the cache switched off (`RASA_MAX_CACHE_SIZE=0`) it reads an in-memory database
that exists only on the thread that made it. So does a run that still reads the training
data itself (`rasa train --force` skips the fingerprint run, which otherwise reads it first):
Rasa's importers are not meant for two threads. Both lanes store their outputs in Rasa's
training cache, which is not meant for two threads either (it walks and prunes its folder
when full): `install_cache_lock` makes one store wait for the other. When a node fails, the
other lane stops after the node it is running, and the first error is raised.
"""

from __future__ import annotations

import threading
from typing import Any, Callable, Dict, List, Optional, Set, Text, Tuple

import dask.order
from rasa.engine.caching import LocalTrainingCache
from rasa.engine.exceptions import GraphRunError
from rasa.engine.graph import GraphSchema
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.engine.training.components import FingerprintComponent
from rasa.graph_components.providers.nlu_training_data_provider import (
    NLUTrainingDataProvider,
)

from bot.runtime.graph_runs import call_node
from bot.runtime.wrapping import wrap_once


_cache_lock = threading.Lock()


def runs_as_rasa_does(runner: DaskGraphRunner) -> bool:
    """A fingerprint run, or a run whose nodes read the training data themselves (see the
    module's docstring)."""
    return any(node.uses is FingerprintComponent or node.uses is NLUTrainingDataProvider
               for node in runner._graph_schema.nodes.values())


def one_store_at_a_time(store: Callable[..., None]) -> Callable[..., None]:
    """`store` (LocalTrainingCache.cache_output) behind the process's cache lock."""

    def cache_output(self: LocalTrainingCache, *args: Any, **kwargs: Any) -> None:
        with _cache_lock:
            store(self, *args, **kwargs)

    return cache_output


def install_cache_lock() -> None:
    """Rasa's training cache stores one output at a time (see the module's docstring)."""
    wrap_once(LocalTrainingCache, "cache_output", one_store_at_a_time)


def nlu_nodes(schema: GraphSchema) -> Set[Text]:
    """The nodes that need, directly or not, the NLU training data. `schema` is the whole
    training graph: in the run's pruned graph, Rasa replaces the provider of the NLU data
    by the value the fingerprint run already computed."""
    found: Dict[Text, bool] = {}

    def reads_nlu_data(name: Text) -> bool:
        if name not in found:
            found[name] = False  # a cycle (Rasa refuses those) ends here
            node = schema.nodes[name]
            found[name] = node.uses is NLUTrainingDataProvider or any(
                reads_nlu_data(needed) for needed in node.needs.values()
                if needed in schema.nodes)
        return found[name]

    return {name for name in schema.nodes if reads_nlu_data(name)}


def lanes(schema: GraphSchema, nlu: Set[Text],
          order: Dict[Text, int]) -> Tuple[List[Text], List[Text]]:
    """The schema's nodes as (the NLU lane, the other lane), each in `order` (every node
    after the nodes it needs, as dask's is)."""
    ordered = sorted(schema.nodes, key=lambda name: order[name])
    return [n for n in ordered if n in nlu], [n for n in ordered if n not in nlu]


class ThreadedGraphRunner(DaskGraphRunner):
    """DaskGraphRunner whose training runs train the NLU pipeline beside the rest (see the
    module's docstring)."""

    def run(self, inputs: Optional[Dict[Text, Any]] = None,
            targets: Optional[List[Text]] = None) -> Dict[Text, Any]:
        if runs_as_rasa_does(self):
            return super().run(inputs, targets)
        run_targets = targets if targets else self._graph_schema.target_names
        schema = self._graph_schema.minimal_graph_schema(run_targets)
        dask_graph = self._build_dask_graph(schema)
        self._add_inputs_to_graph(inputs, dask_graph)  # Rasa's own check of the inputs
        results: Dict[Text, Any] = {name: (name, value) for name, value in (inputs or {}).items()}
        finished = {name: threading.Event() for name in schema.nodes}
        failed = threading.Event()
        errors: List[BaseException] = []  # in the order they happened

        def stop() -> None:
            failed.set()
            for event in finished.values():
                event.set()  # a lane waiting for the other stops waiting, and stops

        def run_lane(lane: List[Text]) -> None:
            for name in lane:
                needs = schema.nodes[name].needs.values()
                for needed in needs:
                    if needed in finished:
                        finished[needed].wait()
                if failed.is_set():
                    return
                try:
                    results[name] = call_node(self, name, results)
                except BaseException as error:
                    errors.append(error)
                    stop()
                    return
                finished[name].set()

        whole = self._execution_context.graph_schema or self._graph_schema
        nlu_lane, other_lane = lanes(schema, nlu_nodes(whole), dask.order.order(dask_graph))
        # daemon threads: an interrupted `rasa train` (Ctrl-C) exits without waiting for them
        threads = [threading.Thread(target=run_lane, args=(lane,), name=f"training-{i}",
                                    daemon=True)
                   for i, lane in enumerate((nlu_lane, other_lane)) if lane]
        for thread in threads:
            thread.start()
        try:
            for thread in threads:
                thread.join()
        except BaseException:
            stop()  # the lanes stop after the node each is running
            raise
        error = errors[0] if errors else None
        if isinstance(error, RuntimeError):
            raise GraphRunError("Error running runner.") from error
        if error is not None:
            raise error
        return dict(results[target] for target in run_targets)
