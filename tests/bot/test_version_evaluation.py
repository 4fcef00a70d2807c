"""The trainer's evaluation child runs with the Rasa server's fixes, and scores the product
model with them (bot.runtime.version_evaluation)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bot.runtime.version_evaluation import command
from ground.envfile import PROJECT_ROOT
from tests.conftest import MODEL_PATH

# trainer.evaluation.main replaced by a probe: what it sees of Rasa when the child calls it
PROBE = """
import json, sys
import trainer.evaluation as evaluation

def probe(argv):
    from rasa.utils.tensorflow.models import RasaModel
    from bot.runtime.ted_loading import load_for_prediction
    print(json.dumps({"ted_without_training_step": RasaModel.load.__func__ is load_for_prediction,
                      "argv": argv}))
    return 3

evaluation.main = probe
from bot.runtime.version_evaluation import main
sys.exit(main(["model.tar.gz", "out"]))
"""


def test_the_evaluation_starts_after_the_servers_fixes() -> None:
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=PROJECT_ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 3, result.stderr[-2000:]  # the evaluation's own exit code
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen == {"ted_without_training_step": True, "argv": ["model.tar.gz", "out"]}


def test_the_product_model_is_scored_with_them(tmp_path: Path) -> None:
    out = tmp_path / "evaluation"
    result = subprocess.run([*command(), str(MODEL_PATH), str(out)], cwd=PROJECT_ROOT,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    scores = json.loads((out / "scores.json").read_text())
    assert scores["stories_failed"] == [] and len(scores["stories_passed"]) >= 30
    assert scores["macro_f1"] >= 0.9 and scores["heldout_examples"] >= 300
    assert (out / "intent_confusion_matrix.png").stat().st_size > 0
