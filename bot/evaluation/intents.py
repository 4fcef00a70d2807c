"""Trains the pipeline of config.yml on given examples and scores it on others.

Used by both benchmarks so that they measure exactly the same thing: training wall time,
the classifier's top intent (accuracy, macro-F1), what the FallbackClassifier does with it
(answered right, answered wrong, fell back) and the time to parse one message at a time,
as the Rasa server parses it: its graph run without dask (bot.runtime.graph_runs), the
domain's emptiness checked cheaply (bot.runtime.empty_domain) and numpy's BLAS on one
thread (bot.runtime.rasa_server sets OMP_NUM_THREADS=1; with a second BLAS thread spinning
after each of the classifier's products beside the encoder's two threads, a parse took
about 1.5-3 ms more). The sentence encoder keeps onnxruntime's two threads: one message at
a time, with both cores free.
"""

from __future__ import annotations

import asyncio
import json
import logging
import statistics
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

FALLBACK = "nlu_fallback"


@dataclass
class Scores:
    examples: int
    train_seconds: float
    accuracy: float
    macro_f1: float
    answered_right: float
    answered_wrong: float
    fell_back: float
    parse_ms_median: float
    parse_ms_p95: float
    per_intent_f1: Dict[str, float] = field(default_factory=dict)
    out_of_scope_fell_back: float | None = None

    def summary(self) -> str:
        lines = [
            f"  examples tested       {self.examples}",
            f"  training time         {self.train_seconds:.0f} s",
            f"  intent accuracy       {self.accuracy:.2%}  (top intent of the classifier)",
            f"  intent macro-F1       {self.macro_f1:.3f}",
            f"  with the fallback:    {self.answered_right:.2%} answered right, "
            f"{self.answered_wrong:.2%} answered wrong, {self.fell_back:.2%} fell back",
            f"  parse time / message  median {self.parse_ms_median:.1f} ms, "
            f"p95 {self.parse_ms_p95:.1f} ms (one message at a time)",
        ]
        if self.out_of_scope_fell_back is not None:
            lines.append(f"  out-of-scope examples that fell back or were called out of scope: "
                         f"{self.out_of_scope_fell_back:.2%}")
        return "\n".join(lines)


def write_training_file(examples: Sequence[Tuple[str, str]], path: Path) -> None:
    from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLWriter
    from rasa.shared.nlu.training_data.message import Message
    from rasa.shared.nlu.training_data.training_data import TrainingData

    messages = [Message(data={"text": text, "intent": intent}) for text, intent in examples]
    path.parent.mkdir(parents=True, exist_ok=True)
    RasaYAMLWriter().dump(path, TrainingData(training_examples=messages))


def train(config: Path, nlu_data: Path, out: Path, name: str) -> Tuple[Path, float]:
    from rasa.model_training import train_nlu

    started = time.perf_counter()
    model = train_nlu(config=str(config), nlu_data=str(nlu_data), output=str(out),
                      fixed_model_name=name)
    if model is None:
        raise RuntimeError("training produced no model")
    return Path(model), time.perf_counter() - started


def score(model: Path, tests: Sequence[Tuple[str, str]], out_of_scope: str | None = None) -> Scores:
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    from threadpoolctl import threadpool_limits

    from bot.runtime import empty_domain, graph_runs

    configure_structlog(logging.WARNING)  # no debug line per parsed message
    agent = Agent.load(str(model))
    loop = asyncio.new_event_loop()
    top: List[str] = []
    final: List[str] = []
    timings: List[float] = []
    with graph_runs.installed(), empty_domain.installed(), \
            threadpool_limits(limits=1, user_api="blas"):
        loop.run_until_complete(agent.parse_message("warm-up"))
        for text, _ in tests:
            started = time.perf_counter()
            parsed = loop.run_until_complete(agent.parse_message(text))
            timings.append((time.perf_counter() - started) * 1000)
            ranking = [r["name"] for r in parsed.get("intent_ranking") or []
                       if r["name"] != FALLBACK]
            top.append(ranking[0] if ranking else "")
            final.append((parsed.get("intent") or {}).get("name") or "")
    loop.close()
    gold = [intent for _, intent in tests]
    per_intent = _f1_per_intent(gold, top)
    total = len(tests)
    oos = None
    if out_of_scope:
        oos_rows = [f for f, g in zip(final, gold) if g == out_of_scope]
        oos = sum(f in (FALLBACK, out_of_scope) for f in oos_rows) / max(1, len(oos_rows))
    timings.sort()
    return Scores(
        examples=total,
        train_seconds=0.0,
        accuracy=sum(t == g for t, g in zip(top, gold)) / total,
        macro_f1=statistics.fmean(per_intent.values()),
        answered_right=sum(f == g for f, g in zip(final, gold)) / total,
        answered_wrong=sum(f not in (g, FALLBACK) for f, g in zip(final, gold)) / total,
        fell_back=sum(f == FALLBACK for f in final) / total,
        parse_ms_median=statistics.median(timings),
        parse_ms_p95=timings[int(0.95 * (len(timings) - 1))],
        per_intent_f1=per_intent,
        out_of_scope_fell_back=oos,
    )


def _f1_per_intent(gold: Sequence[str], predicted: Sequence[str]) -> Dict[str, float]:
    result = {}
    for intent in sorted(set(gold)):
        tp = sum(g == intent and p == intent for g, p in zip(gold, predicted))
        fp = sum(g != intent and p == intent for g, p in zip(gold, predicted))
        fn = sum(g == intent and p != intent for g, p in zip(gold, predicted))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        result[intent] = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return result


def save(scores: Scores, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(asdict(scores), indent=2))
