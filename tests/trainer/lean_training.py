"""A lean training set-up for the tests of the trainer's mechanism (a reviewed correction is
learned and hot-swapped in, the gate refuses a worse model, an admin overrides it with a
reason, rollback restores), which are not about the production model's quality.

The lean config is the checkout's `config.yml` without three parts: the training-time noisy
copies (RegisterAugmenter: they triple the examples every featurizer and the classifier go
through), the help-centre search (it embeds every help passage) and TEDPolicy (loading a
TED model takes 15-20 s of every model load: each evaluation, each hot swap; memoization
and the rules pass every story test without it). Every other component stays as in
production (entities, canonical values, spelling, the sentence embedding, the linear intent
classifier, emotion, the calibrated fallback, the escalation policy, memoization, rules).
Without the sentence embedding the classifier was too fragile for these tests: one
corrected example moved a held-out example of another intent, and the gate refused it.

Both sides of the gate's comparison are built this lean way: the product starts with a lean
build of the checkout's training data active (`start_lean_product`), and its training data
(`TRAINING_DATA_DIR`) is a copy with the lean config, which the product's training runs use.
The lean build is trained once per set of inputs and cached under `var/test-models/`.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path
from typing import Any, Dict, List

import yaml

from bot.runtime import threaded_training
from ground.envfile import PROJECT_ROOT
from tests.product import RunningProcess, start_product
from tests.trainer.copies import copy_training_data

CACHE_DIR = PROJECT_ROOT / "var" / "test-models"
# slow to train or to load, and not needed for what these tests show
LEFT_OUT = {"bot.nlu.register_augmenter.RegisterAugmenter", "bot.nlu.help_centre.HelpCentreSearch",
            "TEDPolicy"}
# the custom components the model is built with (the Makefile's TRAINING_INPUTS has them too)
COMPONENTS = ("bot/nlu", "bot/policies")
TRAIN_TIMEOUT_SECONDS = 15 * 60


def lean_config(config: Dict[str, Any]) -> Dict[str, Any]:
    """`config` (a parsed config.yml) without the components and policies in LEFT_OUT."""
    def kept(parts: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
        return [part for part in parts if part["name"] not in LEFT_OUT]

    return {**config, "pipeline": kept(config.get("pipeline") or []),
            "policies": kept(config.get("policies") or [])}


def write_lean_config(project: Path) -> Path:
    """Replaces `project`'s config.yml with its lean version; returns the project."""
    config = project / "config.yml"
    lean = lean_config(yaml.safe_load(config.read_text()))
    config.write_text("# lean test config (tests/trainer/lean_training.py)\n"
                      + yaml.safe_dump(lean, sort_keys=False))
    return project


def copy_lean_training_data(target: Path) -> Path:
    """This checkout's domain/ and data/ under `target`, with the lean config."""
    return write_lean_config(copy_training_data(target))


def inputs_fingerprint(project: Path) -> str:
    """Changes whenever the lean config, the domain, the training data (all in `project`),
    the custom components or Rasa's version change: the cached build is then trained again."""
    import rasa

    digest = hashlib.sha256(rasa.__version__.encode())
    roots = [(project, ("config.yml", "domain", "data")), (PROJECT_ROOT, COMPONENTS)]
    for root, names in roots:
        for name in names:
            files = [root / name] if (root / name).is_file() else sorted(
                path for path in (root / name).rglob("*")
                if path.is_file() and path.suffix in (".yml", ".py"))
            for path in files:
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def lean_build(folder: Path) -> Path:
    """The lean model of this checkout's training data: from the cache when its inputs are
    unchanged, otherwise trained with `rasa train` (as the product's training runs call it)
    into the cache. `folder` holds the training data copy it is built from."""
    project = copy_lean_training_data(folder / "lean-build-data")
    name = f"lean-{inputs_fingerprint(project)}"
    model = CACHE_DIR / f"{name}.tar.gz"
    if model.exists():
        return model
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    partial = f"{name}-partial-{os.getpid()}"  # no dot: Rasa would cut there
    trained = subprocess.run(
        ["nice", "-n", "10", *threaded_training.command(), "--config", str(project / "config.yml"),
         "--domain", str(project / "domain"), "--data", str(project / "data"),
         "--out", str(CACHE_DIR), "--fixed-model-name", partial],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=TRAIN_TIMEOUT_SECONDS,
        env={**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"})
    built = CACHE_DIR / f"{partial}.tar.gz"
    assert trained.returncode == 0 and built.exists(), trained.stdout[-3000:] + trained.stderr[-3000:]
    built.replace(model)  # atomic: a cached file is always a whole model
    return model


def start_lean_product(folder: Path, **extra: str) -> RunningProcess:
    """The product with the lean build of the checkout's training data active (registered
    as its build version, origin "build", before start-up; the model `make` built is then
    kept as another version) and a lean copy of the training data to train on. Model
    versions and training data stay in `folder`."""
    from bot.schema import upgrade
    from ground.database import session_factory
    from trainer.registry import ModelStore

    build = lean_build(folder)
    data = copy_lean_training_data(folder / "training-data")
    store_dir = folder / "model-versions"
    database_url = f"sqlite:///{folder / 'caredesk.db'}"
    upgrade(database_url)
    ModelStore(session_factory(database_url), store_dir).register_build(build)
    return start_product(folder, DATABASE_URL=database_url, TRAINING_DATA_DIR=str(data),
                         MODEL_STORE_DIR=str(store_dir), **extra)


if __name__ == "__main__":
    # `make test` builds the lean model before the pytest sessions start, after the
    # product's model, so that no session waits on it
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        print(f"lean test model: {lean_build(Path(scratch))}")
