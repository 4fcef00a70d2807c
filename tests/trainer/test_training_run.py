"""A training run that cannot succeed: `rasa train` refuses broken training data, and the
version says so (failed, with the end of Rasa's own message), instead of hanging in
"training"; the next run may start."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy.orm import sessionmaker

from tests.databases import Clock
from trainer.models import ModelStatus
from trainer.registry import ModelStore
from trainer.training_run import TrainingRunner


def test_a_failed_run_is_reported_on_its_version(sessions: sessionmaker, project_copy: Path,
                                                 tmp_path: Path, clock: Clock) -> None:
    (project_copy / "data" / "nlu" / "orders.yml").write_text("nlu:\n  - intent: [broken\n")
    store = ModelStore(sessions, tmp_path / "versions", clock)
    runner = TrainingRunner(store, project_copy)

    async def train() -> int:
        version_id = await runner.start("cli", "broken data", None)
        await runner._task
        return version_id

    version = store.view(asyncio.run(train()))
    assert version.status == ModelStatus.FAILED and version.stage == "failed"
    assert "training failed (exit code" in version.error and "orders.yml" in version.error
    assert not store.model_path(version.id).exists()
    assert store.training_log(version.id).exists()
    assert store.start("cli", None, None) > version.id  # nothing is left running


def test_an_evaluation_reads_as_evaluating_as_soon_as_it_is_accepted(
        sessions: sessionmaker, project_copy: Path, tmp_path: Path, clock: Clock) -> None:
    """The API answers 202 when start_evaluation returns: a look at the version right after
    must not show the stage from before (a client following it would stop at once)."""
    build = tmp_path / "build.tar.gz"
    build.write_bytes(b"not a model: the evaluation itself fails, which is not the point")
    store = ModelStore(sessions, tmp_path / "versions", clock)
    version_id = store.register_build(build)
    runner = TrainingRunner(store, project_copy)

    async def evaluate() -> str:
        await runner.start_evaluation(version_id)
        stage = store.view(version_id).stage
        await runner._task
        return stage

    assert asyncio.run(evaluate()) == "evaluating on the current test set"
    assert store.view(version_id).stage == "evaluation failed"
