"""How good a trained model is, measured the same way for every version: intent F1 on the
held-out set kept under `tests/heldout/` (phrasings that are never training data), and the
story tests under `tests/stories/`.

`python -m trainer.evaluation MODEL OUT` runs both in one process (one model load) and writes
OUT/scores.json next to Rasa's own reports and OUT/intent_confusion_matrix.png. Training jobs
run it as a child process, so TensorFlow never loads into the gateway.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import re
import sys
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, FrozenSet, List, Optional

import yaml

from ground.envfile import PROJECT_ROOT

HELDOUT_NLU = PROJECT_ROOT / "tests" / "heldout" / "nlu.yml"
TEST_STORIES = PROJECT_ROOT / "tests" / "stories"
SCORES_FILE = "scores.json"
CONFUSION_MATRIX = "intent_confusion_matrix.png"


def test_set_fingerprint(nlu: Path = HELDOUT_NLU, stories: Path = TEST_STORIES) -> str:
    """Changes whenever the held-out set or a test story changes: scores measured on
    another test set are not compared."""
    digest = hashlib.sha256()
    for path in [nlu, *sorted(stories.glob("*.yml"))]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass
class IntentScore:
    f1: float
    precision: float
    recall: float
    support: int


@dataclass
class Scores:
    """A model's measured quality (stored as JSON on its ModelVersion)."""

    macro_f1: float
    accuracy: float
    intents: Dict[str, IntentScore]
    stories_passed: List[str]
    stories_failed: List[str]
    test_set: str
    heldout_examples: int = 0

    def to_json(self) -> Dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, raw: Dict[str, Any]) -> "Scores":
        intents = {name: IntentScore(**score) for name, score in raw["intents"].items()}
        return cls(**{**raw, "intents": intents})


def _intent_scores(report: Dict[str, Any]) -> Dict[str, IntentScore]:
    skip = {"accuracy", "macro avg", "weighted avg", "micro avg"}
    return {name: IntentScore(f1=round(row["f1-score"], 4), precision=round(row["precision"], 4),
                              recall=round(row["recall"], 4), support=int(row["support"]))
            for name, row in report.items() if name not in skip and isinstance(row, dict)}


def _story_names(path: Path) -> List[str]:
    from rasa.shared.utils.io import read_yaml_file

    if not path.exists():
        return []
    content = read_yaml_file(path) or {}
    # Rasa appends " (<absolute path of the test file>)"; the file's name is enough
    return sorted(re.sub(r" \((?:.*/)?([^/]+)\)$", r" (\1)", step["story"])
                  for step in content.get("stories") or [] if "story" in step)


async def _evaluate(model: Path, out: Path, nlu: Path, stories: Path) -> Scores:
    from rasa.core.agent import Agent
    from rasa.core.test import test as test_stories
    from rasa.nlu.test import run_evaluation

    agent = Agent.load(model_path=str(model))
    nlu_out, stories_out = out / "nlu", out / "stories"
    stories_out.mkdir(parents=True, exist_ok=True)
    nlu_result = await run_evaluation(str(nlu), agent.processor, output_directory=str(nlu_out),
                                      report_as_dict=True, disable_plotting=True)
    intent_result = nlu_result["intent_evaluation"]
    report = intent_result["report"]
    _plot_confusion_matrix(intent_result["predictions"], out / CONFUSION_MATRIX)
    await test_stories(str(stories), agent, out_directory=str(stories_out), successes=True,
                       errors=True, warnings=False, disable_plotting=True)
    return Scores(
        macro_f1=round(report["macro avg"]["f1-score"], 4),
        accuracy=round(intent_result["accuracy"], 4),
        intents=_intent_scores(report),
        stories_passed=_story_names(stories_out / "successful_test_stories.yml"),
        stories_failed=_story_names(stories_out / "failed_test_stories.yml"),
        test_set=test_set_fingerprint(nlu, stories),
        heldout_examples=int(report["macro avg"]["support"]),
    )


def _plot_confusion_matrix(predictions: List[Dict[str, Any]], path: Path) -> None:
    """The intent confusion matrix, the one picture the workbench shows, drawn as Rasa draws
    it (log colour scale, the same size and labels) but with counts written only in the cells
    that have any: Rasa writes every cell, zeros included (1,600 texts for the held-out set's
    40 intents), and took 3.5-4.5 s to draw it, against 1.1-1.5 s. Rasa's evaluation also draws a
    confidence histogram and a matrix per entity extractor, which nobody looks at here."""
    import numpy as np
    from matplotlib.colors import LogNorm
    from matplotlib.figure import Figure
    from sklearn.metrics import confusion_matrix
    from sklearn.utils.multiclass import unique_labels

    targets = [p["intent"] for p in predictions]
    predicted = [p["predicted"] for p in predictions]
    classes = unique_labels(targets, predicted)
    counts = confusion_matrix(targets, predicted, labels=classes)
    labels = [str(c) for c in classes]
    top = int(counts.max())
    figure = Figure(figsize=(20, 20))
    axes = figure.add_subplot()
    image = axes.imshow(counts, interpolation="nearest", cmap="Blues", aspect="auto",
                        norm=LogNorm(vmin=1, vmax=top))
    figure.colorbar(image, ax=axes)
    axes.set_title("Intent Confusion matrix")
    axes.set_xticks(np.arange(len(labels)), labels, rotation=90)
    axes.set_yticks(np.arange(len(labels)), labels)
    for row, column in zip(*np.nonzero(counts)):
        axes.text(column, row, str(counts[row, column]), horizontalalignment="center",
                  color="white" if counts[row, column] > top / 2 else "black")
    axes.set_ylabel("True label")
    axes.set_xlabel("Predicted label")
    figure.savefig(path, bbox_inches="tight")


@lru_cache(maxsize=1)
def heldout_texts(nlu: Path = HELDOUT_NLU) -> FrozenSet[str]:
    """The held-out examples' words (as trainer.training_data.plain compares them): a
    reviewed message with the same words must not become training data."""
    from trainer.training_data import examples, plain

    items = (yaml.safe_load(nlu.read_text()) or {}).get("nlu") or []
    return frozenset(plain(example) for item in items if "intent" in item
                     for example in examples(item.get("examples")))


def is_current(scores: Optional[Scores], test_set: Optional[str] = None) -> bool:
    """Whether `scores` were measured on today's test set (and so can be compared);
    `test_set` is its fingerprint when the caller has it already."""
    return scores is not None and scores.test_set == (test_set or test_set_fingerprint())


def read_scores(out: Path) -> Scores:
    return Scores.from_json(json.loads((out / SCORES_FILE).read_text()))


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--nlu", type=Path, default=HELDOUT_NLU)
    parser.add_argument("--stories", type=Path, default=TEST_STORIES)
    args = parser.parse_args(argv)
    if not args.model.is_file():
        print(f"no model file at {args.model}", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    scores = asyncio.run(_evaluate(args.model, args.out, args.nlu, args.stories))
    (args.out / SCORES_FILE).write_text(json.dumps(scores.to_json(), indent=1, sort_keys=True))
    print(f"macro-F1 {scores.macro_f1:.3f}, accuracy {scores.accuracy:.3f}, "
          f"stories {len(scores.stories_passed)} passed, {len(scores.stories_failed)} failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
