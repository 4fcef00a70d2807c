"""CPU per conversation turn inside the Rasa server, by stage: `python -m bot.benchmarks.turn_profile`
(`make bench` runs it before the load test).

Loads the trained model in this process (`Agent.load`, as the Rasa server does), starts the
action server beside it (its own databases, in a temporary folder), and sends the
benchmark's conversation script (bot.benchmarks.script.SCRIPT) through
`agent.handle_message`, one conversation after another, with the tracker store of
endpoints.yml (SQL) and again with Rasa's in-memory one. Every stage of a turn is timed in
CPU time (`time.process_time`: all threads of this process, TensorFlow's included):

- each node of the NLU graph and of the policy graph (a `rasa.engine.graph.GraphNodeHook`
  on every node), and the graph runner's own work around them;
- the tracker store's reads and writes;
- the action-server round trips as the Rasa server pays for them (serialising the
  tracker, the HTTP call, reading the answer), and the action server's own CPU (from
  /proc, it is another process);
- the rest of Rasa's turn (events applied to the tracker, tracker copies, responses).

Stages are exclusive: a stage's time does not include the stages inside it. The table
gives CPU milliseconds per turn and the share of the turn. `--cprofile N` adds the N
functions with the most own time, to see what a stage is made of.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import io
import logging
import os
import pstats
import random
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import warnings
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple

from ground.envfile import PROJECT_ROOT
from bot.benchmarks.script import SCRIPT
from bot.runtime.launch import free_port

MODEL = PROJECT_ROOT / "models" / "caredesk.tar.gz"
ENDPOINTS = PROJECT_ROOT / "endpoints.yml"
TICKS = os.sysconf("SC_CLK_TCK")

OTHER = "other Rasa work (events, tracker copies, responses)"
ACTION_CALLS = "action server round trips (Rasa side)"
ACTION_SERVER = "action server process (its own CPU)"


def process_cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far, from /proc/<pid>/stat."""
    with open(f"/proc/{pid}/stat", "rb") as stat:
        fields = stat.read().rsplit(b")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime (fields 14, 15)


class StageClock:
    """CPU time per stage; nested stages are exclusive (the outer one loses the inner's)."""

    def __init__(self) -> None:
        self.seconds: Dict[str, float] = defaultdict(float)
        self.calls: Dict[str, int] = defaultdict(int)
        self._stack: List[List[Any]] = []  # [name, started, time spent in inner stages]

    def reset(self) -> None:
        self.seconds.clear()
        self.calls.clear()

    def enter(self, name: str) -> None:
        self._stack.append([name, time.process_time(), 0.0])

    def leave(self) -> None:
        name, started, inner = self._stack.pop()
        elapsed = time.process_time() - started
        self.seconds[name] += elapsed - inner
        self.calls[name] += 1
        if self._stack:
            self._stack[-1][2] += elapsed

    @contextlib.contextmanager
    def stage(self, name: str) -> Iterator[None]:
        self.enter(name)
        try:
            yield
        finally:
            self.leave()

    @property
    def phase(self) -> str:
        """The innermost stage that names a phase of the turn (NLU or policies)."""
        for name, _, _ in reversed(self._stack):
            if name.startswith(("NLU", "policies")):
                return name.split(":")[0]
        return "graph"

    def wrap_async(self, name: str, function: Callable) -> Callable:
        async def timed(*args: Any, **kwargs: Any) -> Any:
            with self.stage(name):
                return await function(*args, **kwargs)
        return timed

    def wrap(self, name: str, function: Callable) -> Callable:
        def timed(*args: Any, **kwargs: Any) -> Any:
            with self.stage(name):
                return function(*args, **kwargs)
        return timed


def node_labels(graph_runner: Any) -> Dict[str, str]:
    """A readable name for each graph node: its component, with a CountVectorsFeaturizer's
    analyzer (there are two)."""
    labels = {}
    for name, node in graph_runner._graph_schema.nodes.items():
        label = node.uses.__name__
        if "analyzer" in node.config:
            label += f" ({node.config['analyzer']})"
        labels[name] = label
    return labels


def install_timers(agent: Any, clock: StageClock) -> None:
    """Times every graph node, the graph runs, the action-server calls and the turn."""
    from rasa.core.actions.action import RemoteAction
    from rasa.engine.graph import GraphNodeHook

    processor = agent.processor
    runner = processor.graph_runner
    labels = node_labels(runner)

    class NodeTimer(GraphNodeHook):
        def on_before_node(self, node_name: str, execution_context: Any,
                           config: Dict[str, Any], received_inputs: Dict[str, Any]) -> Dict:
            clock.enter(f"{clock.phase}: {labels.get(node_name, node_name)}")
            return {}

        def on_after_node(self, node_name: str, execution_context: Any,
                          config: Dict[str, Any], output: Any, input_hook_data: Dict) -> None:
            clock.leave()

    hook = NodeTimer()
    for node in runner._instantiated_nodes.values():
        node._hooks.append(hook)

    def phase_of_run(run: Callable) -> Callable:
        def timed(*args: Any, **kwargs: Any) -> Any:
            with clock.stage(f"{clock.phase}: graph runner"):
                return run(*args, **kwargs)
        return timed

    runner.run = phase_of_run(runner.run)
    processor._parse_message_with_graph = clock.wrap(
        "NLU", processor._parse_message_with_graph)
    processor._predict_next_with_tracker = clock.wrap(
        "policies", processor._predict_next_with_tracker)
    RemoteAction.run = clock.wrap_async(ACTION_CALLS, RemoteAction.run)


def time_tracker_store(store: Any, clock: StageClock) -> None:
    store.retrieve = clock.wrap_async("tracker store: read", store.retrieve)
    store.save = clock.wrap_async("tracker store: write", store.save)


@dataclass
class Run:
    """One measured run: CPU seconds per stage, over `turns` turns."""

    store: str
    turns: int = 0
    seconds: Dict[str, float] = field(default_factory=dict)
    calls: Dict[str, int] = field(default_factory=dict)
    wall: float = 0.0
    action_server: float = 0.0

    @property
    def rasa_total(self) -> float:
        return sum(self.seconds.values())

    def ms(self, stage: str) -> float:
        return 1000 * self.seconds.get(stage, 0.0) / max(self.turns, 1)


async def converse(agent: Any, clock: StageClock, conversations: int, tag: str,
                   show: bool = False) -> int:
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

    turns = 0
    for n in range(conversations):
        for line in SCRIPT:
            text = line.format(order=f"HG-9{n:05d}")
            output = CollectingOutputChannel()
            with clock.stage(OTHER):
                await agent.handle_message(UserMessage(text, output, f"{tag}-{n}"))
            turns += 1
            if show:
                replies = " | ".join((m.get("text") or str(m))[:70] for m in output.messages)
                print(f"    > {text}\n      {replies}")
    return turns


def start_action_server(env: Dict[str, str], folder: Path) -> subprocess.Popen:
    port = env["ACTION_ENDPOINT_URL"].split(":")[2].split("/")[0]
    with (folder / "action_server.log").open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.runtime.action_server", "--port", port],
            cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2):
                return process
        except (urllib.error.URLError, OSError):
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError("the action server did not start: "
                                   + (folder / "action_server.log").read_text()[-2000:])
            time.sleep(0.3)


def prepare_databases(env: Dict[str, str]) -> None:
    from bot.schema import upgrade
    from company.seed import seed
    from ground.clock import utcnow
    from ground.database import session_factory

    upgrade(env["DATABASE_URL"])
    with session_factory(env["DATABASE_URL"])() as session:
        seed(session, utcnow(), random.Random(20261123))


def tracker_stores(agent: Any, which: str) -> List[Tuple[str, Any]]:
    from rasa.core.tracker_store import InMemoryTrackerStore, TrackerStore
    from rasa.core.utils import read_endpoints_from_path

    stores = []
    if which in ("both", "sql"):
        endpoints = read_endpoints_from_path(ENDPOINTS)
        store = TrackerStore.create(endpoints.tracker_store, domain=agent.domain)
        stores.append((f"endpoints.yml's {type(store).__name__}", store))
    if which in ("both", "memory"):
        stores.append(("in memory", InMemoryTrackerStore(agent.domain)))
    return stores


async def measure(agent: Any, clock: StageClock, action_server: subprocess.Popen,
                  conversations: int, warmup: int, which: str, show: bool,
                  profiler: Optional[cProfile.Profile]) -> List[Run]:
    runs = []
    for number, (name, store) in enumerate(tracker_stores(agent, which)):
        time_tracker_store(store, clock)
        agent.tracker_store = agent.processor.tracker_store = store
        await converse(agent, clock, warmup, f"warmup{number}", show=show and number == 0)
        clock.reset()
        action_cpu = process_cpu_seconds(action_server.pid)
        started = time.perf_counter()
        if profiler is not None and number == 0:
            profiler.enable()
        turns = await converse(agent, clock, conversations, f"profile{number}")
        if profiler is not None and number == 0:
            profiler.disable()
        runs.append(Run(name, turns, dict(clock.seconds), dict(clock.calls),
                        time.perf_counter() - started,
                        process_cpu_seconds(action_server.pid) - action_cpu))
    return runs


def stage_rank(stage: str) -> int:
    for rank, prefix in enumerate(("tracker store: read", "NLU", "policies", ACTION_CALLS,
                                   "tracker store: write", OTHER)):
        if stage.startswith(prefix):
            return rank
    return 9


def report(runs: List[Run]) -> str:
    stages = sorted({stage for run in runs for stage in run.seconds},
                    key=lambda s: (stage_rank(s), -runs[0].seconds.get(s, 0.0)))
    width = max(len(s) for s in stages + [ACTION_SERVER]) + 2
    head = f"  {'stage':<{width}}" + "".join(
        f"{run.store + ': ms/turn':>28}{'share':>7}" for run in runs)
    lines = [head]

    def row(label: str, values: List[Tuple[float, float]]) -> str:
        return f"  {label:<{width}}" + "".join(
            f"{ms:>28.2f}{share:>6.0%} " for ms, share in values)

    for stage in stages:
        lines.append(row(stage, [(run.ms(stage), run.seconds.get(stage, 0.0) / run.rasa_total)
                                 for run in runs]))
    lines.append(row("= Rasa server, whole turn",
                     [(1000 * run.rasa_total / run.turns, 1.0) for run in runs]))
    lines.append(row(ACTION_SERVER, [(1000 * run.action_server / run.turns,
                                      run.action_server / run.rasa_total) for run in runs]))
    for run in runs:
        predictions = run.calls.get("policies", 0) / max(run.turns, 1)
        remote = run.calls.get(ACTION_CALLS, 0) / max(run.turns, 1)
        lines.append(
            f"  {run.store}: {run.turns} turns, {predictions:.2f} policy predictions and "
            f"{remote:.2f} action-server calls per turn; one turn after another "
            f"{run.turns / run.wall:.1f} turns/s (Rasa + action server "
            f"{1000 * (run.rasa_total + run.action_server) / run.turns:.0f} ms CPU per turn)")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=MODEL)
    parser.add_argument("--conversations", type=int, default=20,
                        help=f"measured conversations of {len(SCRIPT)} messages (default 20)")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--tracker-store", choices=("both", "sql", "memory"), default="both")
    parser.add_argument("--show", action="store_true", help="print the warm-up's replies")
    parser.add_argument("--cprofile", type=int, default=0, metavar="N",
                        help="also print the N functions with the most own CPU time")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="caredesk-profile-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'caredesk.db'}",
        "TRACKER_DB_PATH": str(folder / "tracker.db"),
        "ACTION_SERVER_SECRET": secrets.token_urlsafe(32),
        "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{free_port()}/webhook",
        "PYTHONUNBUFFERED": "1",
    }
    os.environ.update(env)  # endpoints.yml reads them
    print(f"Profiling one turn inside Rasa (logs in {folder})...", flush=True)
    prepare_databases(env)
    action_server = start_action_server(env, folder)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import rasa.utils.tensorflow.environment as tf_env
            from rasa.core.agent import Agent
            from rasa.utils.common import configure_logging_and_warnings
            from rasa.utils.log_utils import configure_structlog

            # as `rasa run` does: the log level (LOG_LEVEL, default INFO) and TensorFlow's
            # threads; debug logging would be measured too
            configure_logging_and_warnings(None, None, warn_only_once=True,
                                           filter_repeated_logs=True)
            configure_structlog(None)
            # the Rasa server's fixes and settings (bot.runtime.rasa_server)
            from bot.runtime.rasa_server import install
            install()
            tf_env.setup_tf_environment()
            # what Rasa logs is still formatted, as in the server, but goes to a file
            root = logging.getLogger()
            for handler in list(root.handlers):
                root.removeHandler(handler)
            root.addHandler(logging.FileHandler(folder / "rasa.log"))
            from rasa.core.utils import read_endpoints_from_path

            endpoints = read_endpoints_from_path(ENDPOINTS)
            agent = Agent.load(str(args.model), action_endpoint=endpoints.action)
        clock = StageClock()
        install_timers(agent, clock)
        profiler = cProfile.Profile() if args.cprofile else None
        runs = asyncio.run(measure(agent, clock, action_server, args.conversations,
                                   args.warmup, args.tracker_store, args.show, profiler))
    finally:
        action_server.terminate()
        action_server.wait(timeout=30)
    print(f"\nCPU per turn inside the Rasa server, by stage ({args.model.name}; "
          f"{args.conversations} conversations x {len(SCRIPT)} messages, one at a time):")
    print(report(runs))
    if profiler is not None:
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(args.cprofile)
        print(text.getvalue())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
