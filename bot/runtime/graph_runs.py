"""Rasa 3.6 runs its prediction graph through dask (rasa.engine.runner.dask.DaskGraphRunner)
four times a turn (the NLU once, the policies for each action predicted), and dask builds
the task graph, orders it and schedules it again each time: about 2.5 ms of CPU per turn
around nodes that are called one after another anyway (its synchronous scheduler).

`install` makes the runner call the nodes itself, in an order worked out once for each set
of targets (every node after the nodes it needs, as dask would), with the same inputs,
the same outputs and Rasa's own error for a failing run. Only the Rasa server runs this
way, and the evaluations while they time its parses (`installed`); training and `rasa test`
use dask as before.
"""

from __future__ import annotations

from typing import Any, ContextManager, Dict, List, Optional, Text, Tuple

from rasa.engine.exceptions import GraphRunError
from rasa.engine.runner.dask import DaskGraphRunner

from bot.runtime.wrapping import replaced

_dask_run = DaskGraphRunner.run
ORDERS = "_caredesk_orders"  # on a runner: targets -> the order of its nodes


def execution_order(runner: DaskGraphRunner, targets: Tuple[Text, ...]) -> List[Text]:
    """The nodes the targets need, each after the nodes it needs (depth first, in the
    order of the schema's `needs`)."""
    nodes = runner._graph_schema.nodes
    order: List[Text] = []
    seen = set()

    def visit(name: Text, path: Tuple[Text, ...]) -> None:
        if name in seen or name not in nodes:
            return
        if name in path:
            raise GraphRunError(f"the graph has a cycle through '{name}'")
        for needed in nodes[name].needs.values():
            visit(needed, path + (name,))
        seen.add(name)
        order.append(name)

    for target in targets:
        visit(target, ())
    return order


def call_node(runner: DaskGraphRunner, name: Text, results: Dict[Text, Any]) -> Any:
    """Node `name`'s output, from the outputs in `results` of the nodes it needs (a need
    nobody provides is passed as its name, as dask does; the node warns)."""
    needs = runner._graph_schema.nodes[name].needs.values()
    return runner._instantiated_nodes[name](*[results.get(needed, needed) for needed in needs])


def run(self: DaskGraphRunner, inputs: Optional[Dict[Text, Any]] = None,
        targets: Optional[List[Text]] = None) -> Dict[Text, Any]:
    """DaskGraphRunner.run without dask (see the module's docstring)."""
    run_targets = targets if targets else self._graph_schema.target_names
    key = tuple(run_targets)
    orders = self.__dict__.setdefault(ORDERS, {})
    order = orders.get(key)
    if order is None:
        order = orders[key] = execution_order(self, key)
    results: Dict[Text, Any] = {}
    for name, value in (inputs or {}).items():
        if isinstance(value, str) and value in self._graph_schema.nodes:
            raise GraphRunError(
                f"Input value '{value}' clashes with a node name. Make sure "
                f"that none of the input names passed to the `run` method are the "
                f"same as node names in the graph schema.")
        results[name] = (name, value)
    try:
        for name in order:
            results[name] = call_node(self, name, results)
    except RuntimeError as error:
        raise GraphRunError("Error running runner.") from error
    return dict(results[target] for target in run_targets)


def install() -> None:
    DaskGraphRunner.run = run  # type: ignore[assignment]


def installed() -> ContextManager[None]:
    """The runner without dask until the block ends: the evaluations time a parse as the
    Rasa server runs it, and train with dask as `rasa train` does."""
    return replaced(DaskGraphRunner, "run", run)
